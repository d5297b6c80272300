console.log('args', JSON.stringify(process.argv.slice(2)));
console.log('argv0 is string', typeof process.argv[0], process.argv.length);
console.log('env is object', typeof process.env, typeof process.env.PATH);
console.log('exitCode initially', process.exitCode);
console.log('emit returns', process.emit('custom', 1), process.emit('none'));
process.once('custom', v => console.log('once', v));
process.on('custom', function h(v) { console.log('on', v); process.off('custom', h); });
process.emit('custom', 1);
process.emit('custom', 2);

// exit listeners run once, with the exit code; work queued in exit is not run.
process.on('exit', (c) => { console.log('exit 1', c); process.nextTick(() => console.log('MUST NOT RUN')); });
process.on('exit', (c) => console.log('exit 2', c));
setInterval(() => {}, 1000).unref();

process.on('uncaughtException', (err, origin) => console.log('caught:', err.message, origin));
setTimeout(() => { throw new Error('from timer'); }, 1);
setTimeout(() => console.log('next timer still runs'), 5);
setImmediate(() => { throw new Error('from immediate'); });
process.nextTick(() => { throw new Error('from nextTick'); });
queueMicrotask(() => { throw new Error('from queueMicrotask'); });

// With an uncaughtException listener, throws from every kind of callback are reported and the loop goes on.
// (Each throw is in its own macrotask: after a throw, Node's order of the remaining queued microtasks is an
// implementation detail of its C++ callback scopes.)
process.on('uncaughtException', (err, origin) => console.log('caught:', err.message, origin));
setTimeout(() => process.nextTick(() => { throw new Error('from nextTick'); }), 1);
setTimeout(() => queueMicrotask(() => { throw new Error('from queueMicrotask'); }), 10);
setTimeout(() => {
  setImmediate(() => { throw new Error('from immediate'); });
  throw new Error('from timer');
}, 20);
setTimeout(() => console.log('next timer still runs'), 300);

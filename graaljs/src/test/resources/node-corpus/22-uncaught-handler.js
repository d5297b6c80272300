// With an uncaughtException listener, throws from every kind of callback are reported and the loop goes on.
// (Each throw is in its own macrotask: after a throw, Node's order of the remaining queued microtasks is an
// implementation detail of its C++ callback scopes.) Each step schedules the next, so the order does not depend on
// how long a step takes: timers set side by side with different delays would fire in one pass after a stall, with
// the immediate after all of them.
process.on('uncaughtException', (err, origin) => console.log('caught:', err.message, origin));
setTimeout(() => {
  process.nextTick(() => { throw new Error('from nextTick'); });
  setTimeout(() => {
    queueMicrotask(() => { throw new Error('from queueMicrotask'); });
    setTimeout(() => {
      setImmediate(() => {
        setTimeout(() => console.log('next timer still runs'), 1);
        throw new Error('from immediate');
      });
      throw new Error('from timer');
    }, 1);
  }, 1);
}, 1);

// From inside a timer callback, an immediate always runs before a new 0ms timer.
setTimeout(() => {
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
}, 0);

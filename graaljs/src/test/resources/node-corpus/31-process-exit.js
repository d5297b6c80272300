// process.exit(n) stops immediately: no beforeExit, exit listeners run, later work is dropped.
process.on('beforeExit', () => console.log('MUST NOT RUN beforeExit'));
process.on('exit', c => console.log('exit listener', c));
setTimeout(() => {
  console.log('exiting with 5');
  process.exit(5);
  console.log('MUST NOT RUN after exit');
}, 1);
setTimeout(() => console.log('MUST NOT RUN timer'), 20);
Promise.resolve().then(() => console.log('microtask before timer'));

// performance.now() is monotonic milliseconds and advances across a timer.
// (How much it advances is not compared: the loop's time is cached per turn, as libuv's is, and a cold GraalJS
// interpreter can spend several milliseconds of a turn before the timer is set.)
const a = performance.now();
console.log(typeof a, a >= 0);
setTimeout(() => {
  const t0 = performance.now();
  setTimeout(() => {
    const dt = performance.now() - t0;
    console.log('advanced', dt > 0, 'and < 10000', dt < 10000, 'monotonic', t0 > a);
  }, 20);
}, 1);

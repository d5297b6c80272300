// Node's delay coercion: <1, NaN, > 2^31-1 become 1; fractions truncate; numeric strings convert. (The delays that
// are not coerced to 1 are 100 ms or more apart: Node reads the clock anew for every setTimeout, so timers created a
// few milliseconds apart on a loaded machine must not be close in delay.)
const order = [];
setTimeout(() => console.log('delay 300'), 300);
setTimeout(() => console.log('delay "200" (string)'), '200');
setTimeout(() => console.log('delay -10 -> 1'), -10);
setTimeout(() => console.log('delay NaN -> 1'), NaN);
setTimeout(() => console.log('delay 2**31 -> 1'), 2 ** 31);
setTimeout(() => console.log('delay undefined -> 1'));
setTimeout(() => console.log('delay 400.9'), 400.9);

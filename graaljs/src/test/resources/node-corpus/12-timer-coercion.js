// Node's delay coercion: <1, NaN, > 2^31-1 become 1; fractions truncate; numeric strings convert.
const order = [];
setTimeout(() => console.log('delay 15'), 15);
setTimeout(() => console.log('delay "5" (string)'), '5');
setTimeout(() => console.log('delay -10 -> 1'), -10);
setTimeout(() => console.log('delay NaN -> 1'), NaN);
setTimeout(() => console.log('delay 2**31 -> 1'), 2 ** 31);
setTimeout(() => console.log('delay undefined -> 1'));
setTimeout(() => console.log('delay 25.9'), 25.9);

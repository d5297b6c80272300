// Timers scheduled from timers; nesting does not clamp in Node (no 4ms HTML clamp). The later timer is far enough
// away (5 s) that the eight turns of the chain always come first, even on a loaded machine.
let depth = 0;
function nest() {
  depth++;
  if (depth < 8) setTimeout(nest, 0);
  else console.log('reached depth', depth);
}
setTimeout(nest, 0);
setTimeout(() => console.log('5000ms timer'), 5000);

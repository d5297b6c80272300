// Timers scheduled from timers; nesting does not clamp in Node (no 4ms HTML clamp).
let depth = 0;
function nest() {
  depth++;
  if (depth < 8) setTimeout(nest, 0);
  else console.log('reached depth', depth);
}
setTimeout(nest, 0);
setTimeout(() => console.log('2000ms timer'), 2000);

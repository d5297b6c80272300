// Run with `node examples/js/hello.js` and `bin/jsrun examples/js/hello.js`: the same lines, in the same order.
console.log('main script');
setTimeout(() => console.log('timeout 10 ms'), 10);
setTimeout(() => {
  console.log('timeout 0 ms');
  process.nextTick(() => console.log('  nextTick inside the timeout'));
  Promise.resolve().then(() => console.log('  microtask inside the timeout'));
}, 0);
Promise.resolve().then(() => console.log('microtask'));
process.nextTick(() => console.log('nextTick'));

const ac = new AbortController();
ac.signal.addEventListener('abort', () => console.log('aborted:', ac.signal.reason.name));
let n = 0;
const id = setInterval(() => {
  console.log('interval', ++n);
  if (n === 3) {
    clearInterval(id);
    ac.abort();
    setImmediate(() => console.log('immediate'));
  }
}, 20);

(async () => {
  await null;
  console.log('async function resumed');
  const results = await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('no'))]);
  console.log('allSettled:', results.map((r) => r.status).join(', '));
})();
process.on('beforeExit', () => console.log('beforeExit: the loop is empty'));

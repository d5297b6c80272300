// Node >= 11 drains microtasks after each timer callback.
setTimeout(() => {
  console.log('t1');
  Promise.resolve().then(() => console.log('t1 micro'));
  process.nextTick(() => console.log('t1 tick'));
}, 1);
setTimeout(() => {
  console.log('t2');
  queueMicrotask(() => console.log('t2 micro'));
}, 1);

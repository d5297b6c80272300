// process.nextTick runs before promise jobs; ticks queued by promise jobs run after the promise queue drains.
Promise.resolve().then(() => {
  console.log('p1');
  process.nextTick(() => console.log('tick from p1'));
  Promise.resolve().then(() => console.log('p1.then'));
});
process.nextTick(() => {
  console.log('t1');
  Promise.resolve().then(() => console.log('p from t1'));
  process.nextTick(() => console.log('t1.nested'));
});
Promise.resolve().then(() => console.log('p2'));
process.nextTick(() => console.log('t2'));
console.log('sync');

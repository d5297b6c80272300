// Combinators over inputs that settle later: one input per macrotask, in the order of their step (FIFO within a
// step), settled by a chain of immediates rather than by timers of different delays. Node reads the clock anew for
// every setTimeout, so on a loaded machine a short timer created a little after a longer one can fire second (with
// 5 ms and 20 ms timers Node once printed 'race slow'), and the recorded order would depend on the machine.
const pending = [];
const settleAt = (step, v, fail) =>
  new Promise((res, rej) => pending.push({ step, settle: () => (fail ? rej(new Error(v)) : res(v)) }));
Promise.all([settleAt(20, 'a'), settleAt(10, 'b'), 'c']).then(v => console.log('all', JSON.stringify(v)));
Promise.race([settleAt(20, 'slow'), settleAt(5, 'fast')]).then(v => console.log('race', v));
Promise.allSettled([settleAt(5, 'ok'), settleAt(10, 'bad', true)]).then(r =>
  console.log('allSettled', r.map(x => x.status + ':' + (x.value || x.reason.message)).join(',')));
Promise.any([settleAt(15, 'e1', true), settleAt(25, 'winner'), settleAt(5, 'e2', true)])
  .then(v => console.log('any', v));
Promise.any([Promise.reject(new Error('x')), Promise.reject(new Error('y'))]).catch(e =>
  console.log('any rejected', e.constructor.name, e.errors.map(x => x.message).join(',')));
Promise.all([settleAt(5, 'fail', true), settleAt(30, 'late')]).catch(e => console.log('all rejected', e.message));
pending.sort((x, y) => x.step - y.step); // a stable sort: FIFO among equal steps
setImmediate(function settleNext() {
  pending.shift().settle();
  if (pending.length > 0) setImmediate(settleNext);
});

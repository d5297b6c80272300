// Tick counts: await of a native promise takes 1 job; await of a thenable takes 2; resolve(promise) takes 2 extra.
const thenable = { then(r) { console.log('then called'); r('T'); } };
(async () => { const v = await thenable; console.log('await thenable', v); })();
(async () => { const v = await Promise.resolve('P'); console.log('await promise', v); })();
new Promise(r => r(Promise.resolve('R'))).then(v => console.log('resolve(promise)', v));
const p = Promise.resolve();
p.then(() => console.log('tick 1')).then(() => console.log('tick 2')).then(() => console.log('tick 3')).then(() => console.log('tick 4'));

// Promise.resolve(thenable) calls then in a job; a sync-resolving thenable takes one extra job.
const t = { then(res) { console.log('then invoked'); res('v'); } };
Promise.resolve(t).then(v => console.log('adopted', v));
Promise.resolve().then(() => console.log('j1')).then(() => console.log('j2')).then(() => console.log('j3'));
console.log('sync');

// Returning a promise from an async function costs two extra jobs compared to returning a value.
async function retValue() { return 1; }
async function retPromise() { return Promise.resolve(2); }
retPromise().then(v => console.log('retPromise', v));
retValue().then(v => console.log('retValue', v));
Promise.resolve().then(() => console.log('j1')).then(() => console.log('j2')).then(() => console.log('j3')).then(() => console.log('j4'));

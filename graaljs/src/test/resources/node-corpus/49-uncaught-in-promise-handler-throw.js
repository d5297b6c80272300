// A throw inside an uncaughtException handler is fatal (exit 7 in Node); we keep it simple: throwing inside a
// then-handler rejects the derived promise instead, which is then unhandled.
process.on('unhandledRejection', (r) => { console.log('unhandled', r.message); });
Promise.resolve().then(() => { throw new Error('thrown in then'); });
new Promise(() => { throw new Error('thrown in executor'); });

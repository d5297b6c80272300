// unref()/ref() return the handle, and an unref'd timer still fires while the loop is alive for other reasons.
const t = setTimeout(() => console.log('unref timer fired (loop kept alive by another timer)'), 5).unref();
console.log(typeof t.ref, t.hasRef());
t.ref(); console.log('after ref', t.hasRef());
t.unref(); console.log('after unref', t.hasRef());
setTimeout(() => console.log('ref timer'), 30);
// 60 s: far beyond the 30 ms timer that ends the script, even on a stalled machine
const iv = setInterval(() => console.log('MUST NOT RUN'), 60000).unref();
console.log('interval hasRef', iv.hasRef());

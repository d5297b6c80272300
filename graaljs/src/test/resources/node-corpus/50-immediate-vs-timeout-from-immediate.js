// clearImmediate from a timer; setImmediate returns an object with ref/unref/hasRef.
const im = setImmediate(() => console.log('MUST NOT RUN'));
console.log('immediate hasRef', im.hasRef());
clearImmediate(im);
const im2 = setImmediate(() => console.log('MUST NOT RUN: an unref immediate alone does not keep the loop alive'));
im2.unref();
console.log('unref hasRef', im2.hasRef());

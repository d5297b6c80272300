// Microtasks drain after each immediate; an immediate queued while immediates run waits for the next pass.
setImmediate(() => {
  console.log('i1');
  Promise.resolve().then(() => console.log('i1 micro'));
  setImmediate(() => console.log('i3 (queued by i1)'));
});
setImmediate(() => {
  console.log('i2');
  process.nextTick(() => console.log('i2 tick'));
});

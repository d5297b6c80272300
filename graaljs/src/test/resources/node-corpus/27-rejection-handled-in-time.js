// Handled within the same checkpoint (even a few jobs later): no unhandledRejection.
process.on('unhandledRejection', r => console.log('MUST NOT BE CALLED', r));
const p = Promise.reject(new Error('soon handled'));
Promise.resolve().then(() => Promise.resolve()).then(() => {
  p.catch(e => console.log('caught later in same checkpoint', e.message));
});
process.nextTick(() => console.log('tick'));

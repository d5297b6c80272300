// With a handler, a throw in one nextTick does not lose the remaining ticks or microtasks.
process.on('uncaughtException', e => console.log('handler', e.message));
process.nextTick(() => console.log('tick 1'));
process.nextTick(() => { throw new Error('tick 2 throws'); });
process.nextTick(() => console.log('tick 3'));
Promise.resolve().then(() => console.log('promise job'));

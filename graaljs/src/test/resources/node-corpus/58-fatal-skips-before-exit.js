// An uncaught exception ends the process: exit listeners run with code 1, beforeExit does not.
process.on('beforeExit', () => console.log('MUST NOT RUN beforeExit'));
process.on('exit', (c) => console.log('exit', c));
process.nextTick(() => { throw new Error('fatal in tick'); });
console.log('main done');

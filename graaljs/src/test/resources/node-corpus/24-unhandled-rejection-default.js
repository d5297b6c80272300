// An unhandled rejection with no handler kills the process with exit code 1 after the microtask checkpoint.
Promise.reject(new Error('nobody handles me'));
Promise.resolve().then(() => console.log('microtasks still run first'));
setTimeout(() => console.log('MUST NOT RUN'), 10);

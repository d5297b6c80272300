// An uncaught throw in a timer with no handler: message on stderr, exit code 1, later timers do not run.
setTimeout(() => { console.log('before throw'); throw new Error('boom in timer'); }, 1);
setTimeout(() => console.log('MUST NOT RUN'), 50);
process.on('exit', c => console.log('exit code', c));

process.exitCode = 3;
process.on('beforeExit', c => console.log('beforeExit', c));
process.on('exit', c => { console.log('exit', c, process.exitCode); setTimeout(() => console.log('MUST NOT RUN'), 0); });
setTimeout(() => console.log('timer'), 1);

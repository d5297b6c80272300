// A rejected top-level await in the main ES module is an uncaught error: exit code 1, exit listeners run.
process.on('exit', (c) => console.log('exit', c));
console.log('before');
await new Promise((_, reject) => setTimeout(() => reject(new Error('tla failed')), 5));
console.log('MUST NOT RUN');

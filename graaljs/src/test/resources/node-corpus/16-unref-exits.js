// An unref'd timer does not keep the process alive.
const t = setTimeout(() => console.log('MUST NOT RUN'), 5000);
t.unref();
console.log('hasRef', t.hasRef());
setTimeout(() => console.log('short ref timer'), 5);
process.on('exit', c => console.log('exit', c));

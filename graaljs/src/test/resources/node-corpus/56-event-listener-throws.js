// A throwing EventTarget listener does not stop the other listeners; the error is reported as uncaught.
process.on('uncaughtException', (e) => console.log('uncaught:', e.message));
const et = new EventTarget();
et.addEventListener('x', () => { throw new Error('listener 1 failed'); });
et.addEventListener('x', () => console.log('listener 2 still runs'));
console.log('dispatch returned', et.dispatchEvent(new Event('x')));
console.log('after dispatch');

const s = AbortSignal.timeout(10);
s.addEventListener('abort', () => console.log('timeout abort', s.reason.name, s.reason.message));
console.log('initially', s.aborted);
setTimeout(() => console.log('after 40ms aborted =', s.aborted), 40);

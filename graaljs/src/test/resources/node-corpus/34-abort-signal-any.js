const a = new AbortController();
const b = new AbortController();
const any = AbortSignal.any([a.signal, b.signal]);
any.addEventListener('abort', () => console.log('any aborted with', any.reason));
console.log('any.aborted', any.aborted);
setTimeout(() => { b.abort('b reason'); a.abort('a reason'); console.log('a.aborted', a.signal.aborted); }, 1);
const pre = AbortSignal.any([AbortSignal.abort('already'), a.signal]);
console.log('pre', pre.aborted, pre.reason);

const ac = new AbortController();
const s = ac.signal;
console.log('aborted?', s.aborted, s.reason);
s.addEventListener('abort', e => console.log('listener', e.type, e.target === s, s.reason));
s.onabort = () => console.log('onabort');
ac.abort('why');
ac.abort('again ignored');
console.log('aborted?', s.aborted, s.reason);
try { s.throwIfAborted(); } catch (e) { console.log('throwIfAborted threw', e); }
const ac2 = new AbortController();
ac2.abort();
console.log('default reason', ac2.signal.reason.name, ac2.signal.reason.message);
try { ac2.signal.throwIfAborted(); } catch (e) { console.log('threw', e.name, e instanceof DOMException); }
const a = AbortSignal.abort('pre');
console.log('AbortSignal.abort', a.aborted, a.reason);

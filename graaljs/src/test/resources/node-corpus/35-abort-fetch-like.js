// A cancellable sleep built on AbortSignal, in the style of timers/promises. (The aborted sleep is 5 s long, far
// beyond the 20 ms abort timer created after it: it is cleared by the abort, so it costs no time.)
function sleep(ms, { signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(ms); }, ms);
    function onAbort() { clearTimeout(t); reject(signal.reason); }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
const ac = new AbortController();
sleep(5000, { signal: ac.signal }).then(v => console.log('MUST NOT RESOLVE', v), e => console.log('sleep aborted:', e));
sleep(5).then(v => console.log('slept', v));
setTimeout(() => ac.abort('cancelled'), 20);

async function* gen() { for (let i = 0; i < 3; i++) { await new Promise(r => setTimeout(r, 1)); yield i; } }
(async () => {
  for await (const v of gen()) console.log('got', v);
  console.log('done');
})();
Promise.resolve().then(() => console.log('first microtask'));

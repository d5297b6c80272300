const t0 = performance.now();
console.log(typeof t0, t0 >= 0);
setTimeout(() => {
  const dt = performance.now() - t0;
  console.log('elapsed >= 19', dt >= 19, 'and < 5000', dt < 5000);
}, 20);

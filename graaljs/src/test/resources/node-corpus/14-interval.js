let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('tick', n);
  Promise.resolve().then(() => console.log('micro after tick', n));
  if (n === 3) { clearInterval(iv); console.log('cleared'); }
}, 5);
setTimeout(() => console.log('after interval'), 100);

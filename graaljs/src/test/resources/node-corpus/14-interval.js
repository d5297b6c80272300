let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('tick', n);
  Promise.resolve().then(() => console.log('micro after tick', n));
  if (n === 3) {
    clearInterval(iv);
    console.log('cleared');
    setTimeout(() => console.log('after interval: no more ticks'), 30);
  }
}, 5);

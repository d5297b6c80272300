// clearTimeout works on intervals too (shared id space in Node).
let count = 0;
const iv = setInterval(() => {
  count++;
  if (count === 2) {
    clearTimeout(iv);
    setTimeout(() => console.log('done, count =', count), 30);
  }
  console.log('interval', count);
}, 2);

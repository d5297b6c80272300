// Clearing a timer or an immediate that is due in the same pass prevents it from running.
let t2;
const t1 = setTimeout(() => { console.log('t1 clears t2'); clearTimeout(t2); }, 5);
t2 = setTimeout(() => console.log('t2 MUST NOT RUN'), 5);
setTimeout(() => {
  console.log('t3');
  let i2;
  setImmediate(() => { console.log('i1 clears i2'); clearImmediate(i2); });
  i2 = setImmediate(() => console.log('i2 MUST NOT RUN'));
  setImmediate(() => console.log('i3'));
}, 5);
clearTimeout(undefined); clearTimeout(null); clearTimeout({}); clearTimeout(12345);
console.log('clear with junk is fine');

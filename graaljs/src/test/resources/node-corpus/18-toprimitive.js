// Timer handles convert to their numeric id; clearTimeout(id) works.
const t = setTimeout(() => console.log('MUST NOT RUN'), 10);
const id = +t;
console.log('id is number', typeof id === 'number', Number.isInteger(id), id > 0);
clearTimeout(id);
const t2 = setTimeout(() => console.log('t2 runs'), 5);
console.log('ids differ', +t2 !== id);
const iv = setInterval(() => console.log('MUST NOT RUN'), 5);
clearInterval(+iv);

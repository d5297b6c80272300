setTimeout((a, b, c) => {
  console.log('timeout args', a, b, c);
  setImmediate((...args) => {
    console.log('immediate args', args.length, args.join('|'));
    let n = 0;
    const iv = setInterval((s) => { console.log('interval arg', s, ++n); if (n === 2) clearInterval(iv); }, 1, 'S');
  }, 'p', 'q');
}, 1, 'x', 2, true);
process.nextTick((a, b) => console.log('nextTick args', a, b), 'n1', 'n2');

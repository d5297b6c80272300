// refresh() restarts the timer from now with the same delay.
const start = Date.now();
let refreshed = 0;
const t = setTimeout(() => console.log('fired after refresh, refreshed', refreshed, 'times'), 200);
const iv = setInterval(() => {
  if (refreshed < 3) { refreshed++; t.refresh(); } else clearInterval(iv);
}, 20);

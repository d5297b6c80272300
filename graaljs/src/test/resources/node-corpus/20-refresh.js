// refresh() restarts a timer from now with the same delay: t (200ms, refreshed at ~20, 40 and 60ms) now fires
// after u (230ms), which it would precede without the refreshes.
let refreshed = 0;
const t = setTimeout(() => console.log('t fired, refreshed', refreshed, 'times'), 200);
setTimeout(() => console.log('u fired at 230ms'), 230);
const iv = setInterval(() => {
  if (refreshed < 3) { refreshed++; t.refresh(); } else clearInterval(iv);
}, 20);

// Ticks and microtasks queued from each other, several levels deep.
const log = (s) => console.log(s);
process.nextTick(() => {
  log('tick A');
  Promise.resolve().then(() => {
    log('micro A1');
    process.nextTick(() => {
      log('tick A1a');
      queueMicrotask(() => log('micro A1a-i'));
      process.nextTick(() => log('tick A1a-nested'));
    });
    Promise.resolve().then(() => log('micro A1-chained'));
  });
  process.nextTick(() => log('tick A-nested'));
});
queueMicrotask(() => {
  log('micro B');
  process.nextTick(() => log('tick from micro B'));
});
(async () => {
  log('async start');
  await undefined;
  log('async after 1');
  process.nextTick(() => log('tick from async'));
  await undefined;
  log('async after 2');
})();
log('sync done');

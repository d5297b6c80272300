(async () => {
  console.log('before await');
  await undefined;
  process.nextTick(() => console.log('tick queued after await'));
  Promise.resolve().then(() => console.log('promise queued after await'));
  console.log('after await');
})();
process.nextTick(() => console.log('top tick'));
setImmediate(() => console.log('immediate'));

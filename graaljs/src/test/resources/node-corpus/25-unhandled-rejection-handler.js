process.on('unhandledRejection', (reason, promise) => {
  console.log('unhandled:', reason instanceof Error ? reason.message : reason, promise instanceof Promise);
});
Promise.reject(new Error('e1'));
Promise.reject('plain string');
(async () => { throw new Error('from async'); })();
setTimeout(() => console.log('loop continues'), 5);

// Without an unhandledRejection listener, an unhandled rejection goes to uncaughtException listeners with origin
// 'unhandledRejection' (Node's default --unhandled-rejections=throw); a non-Error reason is wrapped.
process.on('uncaughtException', (err, origin) => {
  console.log('uncaughtException:', origin, err instanceof Error, err.message.slice(0, 60));
});
Promise.reject(new Error('rejected error'));
setTimeout(() => { Promise.reject('a string'); }, 5);
setTimeout(() => console.log('still running'), 20);

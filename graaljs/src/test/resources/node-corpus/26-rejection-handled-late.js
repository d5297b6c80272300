// A rejection handled after it was reported emits rejectionHandled.
process.on('unhandledRejection', (r, p) => console.log('unhandledRejection', r.message));
process.on('rejectionHandled', p => console.log('rejectionHandled', p === late));
const late = Promise.reject(new Error('late'));
setTimeout(() => {
  console.log('attaching handler');
  late.catch(e => console.log('caught', e.message));
}, 5);

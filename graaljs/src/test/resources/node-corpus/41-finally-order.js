Promise.resolve(1).finally(() => console.log('finally 1')).then(v => console.log('value passes through', v));
Promise.reject(new Error('r')).finally(() => console.log('finally 2')).catch(e => console.log('reason passes', e.message));
Promise.resolve().then(() => console.log('a')).then(() => console.log('b')).then(() => console.log('c')).then(() => console.log('d'));

const delay = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
Promise.all([delay(20, 'a'), delay(10, 'b'), 'c']).then(v => console.log('all', JSON.stringify(v)));
Promise.race([delay(20, 'slow'), delay(5, 'fast')]).then(v => console.log('race', v));
Promise.allSettled([delay(5, 'ok'), delay(10, 'bad', true)]).then(r =>
  console.log('allSettled', r.map(x => x.status + ':' + (x.value || x.reason.message)).join(',')));
Promise.any([delay(15, 'e1', true), delay(25, 'winner'), delay(5, 'e2', true)]).then(v => console.log('any', v));
Promise.any([Promise.reject(new Error('x')), Promise.reject(new Error('y'))]).catch(e =>
  console.log('any rejected', e.constructor.name, e.errors.map(x => x.message).join(',')));
Promise.all([delay(5, 'fail', true), delay(30, 'late')]).catch(e => console.log('all rejected', e.message));

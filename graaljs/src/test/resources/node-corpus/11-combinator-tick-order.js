// Job-level ordering of combinators over already-settled inputs.
Promise.all([1, 2]).then(() => console.log('all'));
Promise.race([1, 2]).then(() => console.log('race'));
Promise.allSettled([1]).then(() => console.log('allSettled'));
Promise.any([1]).then(() => console.log('any'));
Promise.resolve().then(() => console.log('j1')).then(() => console.log('j2')).then(() => console.log('j3'));

let rounds = 0;
process.on('beforeExit', code => {
  console.log('beforeExit', code, 'round', rounds);
  if (rounds++ < 2) setTimeout(() => console.log('work scheduled from beforeExit', rounds), 1);
});
process.on('exit', code => console.log('exit', code));
console.log('main');

// Exit listeners see the code and may change process.exitCode; beforeExit is not emitted after process.exit().
process.on('beforeExit', () => console.log('beforeExit (only once, before the timer exits)'));
let exits = 0;
process.on('exit', (code) => {
  console.log('exit listener', ++exits, code);
  process.exitCode = 9;
});
setTimeout(() => { process.exitCode = 2; console.log('timer sets exitCode 2'); }, 1);

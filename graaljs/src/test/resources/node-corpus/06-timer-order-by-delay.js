// Timers fire by due time, FIFO among equal delays. (The delays are 100 ms apart: Node reads the clock anew for
// every setTimeout, so timers created a few milliseconds apart on a loaded machine must not be close in delay.)
setTimeout(() => console.log('300'), 300);
setTimeout(() => console.log('100a'), 100);
setTimeout(() => console.log('0'), 0);
setTimeout(() => console.log('100b'), 100);
setTimeout(() => console.log('200'), 200);

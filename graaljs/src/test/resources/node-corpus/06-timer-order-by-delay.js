// Timers fire by due time, FIFO among equal delays.
setTimeout(() => console.log('30'), 30);
setTimeout(() => console.log('10a'), 10);
setTimeout(() => console.log('0'), 0);
setTimeout(() => console.log('10b'), 10);
setTimeout(() => console.log('20'), 20);

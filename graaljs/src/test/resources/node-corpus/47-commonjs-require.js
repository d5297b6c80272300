const greet = require('./lib/greeter');
const counter = require('./lib/counter.js');
console.log(greet('a'));
console.log(greet('b'));
console.log('shared module instance', counter.inc());
console.log(typeof module, typeof exports, module.exports === exports);

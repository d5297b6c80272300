const counter = require('./counter');
module.exports = function greet(who) { return `hello ${who} #${counter.inc()}`; };

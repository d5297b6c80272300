let n = 0;
exports.inc = () => ++n;
exports.name = 'counter';

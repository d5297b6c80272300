// A stand-in for Node's `assert` module: the functions the Promises/A+ suite uses.
class AssertionError extends Error {
  constructor(message) { super(message); this.name = 'AssertionError'; this.code = 'ERR_ASSERTION'; }
}
function fail(message, fallback) { throw new AssertionError(message || fallback); }
function show(v) { try { return typeof v === 'string' ? JSON.stringify(v) : String(v); } catch (e) { return '[value]'; } }
const assert = (value, message) => { if (!value) fail(message, `${show(value)} == true`); };
assert.ok = assert;
assert.AssertionError = AssertionError;
assert.strictEqual = (a, b, message) => { if (!Object.is(a, b)) fail(message, `Expected ${show(a)} to be strictly equal to ${show(b)}`); };
assert.notStrictEqual = (a, b, message) => { if (Object.is(a, b)) fail(message, `Expected ${show(a)} not to be strictly equal to ${show(b)}`); };
assert.equal = (a, b, message) => { if (a != b) fail(message, `${show(a)} == ${show(b)}`); }; // eslint-disable-line eqeqeq
assert.fail = (message) => fail(message, 'Failed');
module.exports = assert;

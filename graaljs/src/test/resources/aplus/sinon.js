// A stand-in for the parts of sinon the Promises/A+ suite uses: spy, stub().returns/throws, match.same and the
// assertions calledWith, notCalled and callOrder.
let sequence = 0;
function makeSpy(behaviour) {
  const spy = function (...args) {
    spy.calls.push({ args, order: ++sequence });
    return behaviour ? behaviour.apply(this, args) : undefined;
  };
  spy.calls = [];
  Object.defineProperty(spy, 'called', { get: () => spy.calls.length > 0 });
  Object.defineProperty(spy, 'callCount', { get: () => spy.calls.length });
  return spy;
}
function fail(message) {
  const e = new Error(message);
  e.name = 'AssertError';
  throw e;
}
const sinon = {
  spy: () => makeSpy(null),
  stub() {
    let impl = () => undefined;
    const stub = makeSpy(function (...args) { return impl.apply(this, args); });
    stub.returns = (v) => { impl = () => v; return stub; };
    stub.throws = (e) => { impl = () => { throw e; }; return stub; };
    return stub;
  },
  match: {
    same: (expected) => ({ isMatcher: true, test: (actual) => actual === expected }),
  },
  assert: {
    calledWith(spy, ...expected) {
      const ok = spy.calls.some(c => expected.every((m, i) => (m && m.isMatcher ? m.test(c.args[i]) : Object.is(m, c.args[i]))));
      if (!ok) fail(`expected spy to be called with the given arguments (${spy.calls.length} calls)`);
    },
    notCalled(spy) {
      if (spy.calls.length > 0) fail(`expected spy not to be called but it was called ${spy.calls.length} times`);
    },
    callOrder(...spies) {
      let last = 0;
      for (const s of spies) {
        if (s.calls.length === 0) fail('expected all spies to be called');
        if (s.calls[0].order < last) fail('expected spies to be called in order');
        last = s.calls[0].order;
      }
    },
  },
};
module.exports = sinon;

// Runs the Promises/A+ suite (npm promises-aplus-tests) without mocha: a small describe/specify runner with `done`
// callbacks and timeouts, driven by the event loop. Usage: harness.js TESTS_DIR TIMEOUT_MS [FILE...]
// The adapter's deferred() is a Java org.eventloop4j.Promise seen through JsPromises (global __aplusDeferred).
'use strict';
const [testsDir, timeoutArg, ...only] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg) || 5000;

global.adapter = {
  deferred: () => __aplusDeferred(),
  resolved(value) { const d = __aplusDeferred(); d.resolve(value); return d.promise; },
  rejected(reason) { const d = __aplusDeferred(); d.reject(reason); return d.promise; },
};

const root = { title: '', suites: [], tests: [], before: [], after: [], parent: null };
let current = root;
global.describe = (title, fn) => {
  const suite = { title, suites: [], tests: [], before: [], after: [], parent: current };
  current.suites.push(suite);
  const saved = current;
  current = suite;
  try { fn.call(suite); } finally { current = saved; }
};
global.specify = global.it = (title, fn) => { current.tests.push({ title, fn, parent: current }); };
global.beforeEach = (fn) => current.before.push(fn);
global.afterEach = (fn) => current.after.push(fn);

const files = only.length ? only : ['2.1.2', '2.1.3', '2.2.1', '2.2.2', '2.2.3', '2.2.4', '2.2.5', '2.2.6', '2.2.7',
  '2.3.1', '2.3.2', '2.3.3', '2.3.4'];
for (const f of files) require(`${testsDir}/${f}.js`);

function fullTitle(t) {
  const parts = [t.title];
  for (let s = t.parent; s && s.parent; s = s.parent) parts.unshift(s.title);
  return parts.join(' ');
}
function hooks(t, kind) {
  const chain = [];
  for (let s = t.parent; s; s = s.parent) chain.unshift(...s[kind]);
  return kind === 'after' ? chain.reverse() : chain;
}
const tests = [];
(function collect(s) { tests.push(...s.tests); s.suites.forEach(collect); })(root);

let passed = 0;
const failures = [];
let active = null; // { fail(err) } of the running test

process.on('uncaughtException', (err) => {
  if (active) active.fail(err);
  else failures.push({ title: '(outside any test)', err });
});

function runFn(fn, done) {
  // calls fn with `done` if it takes one, else treats it as synchronous or promise-returning
  if (fn.length > 0) { fn.call({}, done); return; }
  const r = fn.call({});
  if (r && typeof r.then === 'function') r.then(() => done(), (e) => done(e || new Error('rejected')));
  else done();
}

function runTest(t, next) {
  let finished = false;
  let timer = null;
  const finish = (err) => {
    if (finished) {
      if (err) failures.push({ title: fullTitle(t), err: new Error(`after completion: ${err && err.message}`) });
      else failures.push({ title: fullTitle(t), err: new Error('done() called multiple times') });
      return;
    }
    finished = true;
    clearTimeout(timer);
    active = null;
    if (err) failures.push({ title: fullTitle(t), err }); else passed++;
    setImmediate(next);
  };
  active = { fail: finish };
  timer = setTimeout(() => finish(new Error(`timeout of ${timeoutMs}ms exceeded`)), timeoutMs);
  const steps = [...hooks(t, 'before'), t.fn, ...hooks(t, 'after')];
  let i = 0;
  const step = (err) => {
    if (err) return finish(err instanceof Error ? err : new Error(String(err)));
    if (i === steps.length) return finish(null);
    const fn = steps[i++];
    try { runFn(fn, (e) => (finished ? finish(e) : step(e))); } catch (e) { finish(e); }
  };
  step(null);
}

let index = 0;
function next() {
  if (index === tests.length) {
    console.log(`${passed} passing`);
    console.log(`${failures.length} failing`);
    failures.slice(0, 20).forEach((f, n) => console.log(`  ${n + 1}) ${f.title}: ${f.err && f.err.message}`));
    process.exitCode = failures.length === 0 ? 0 : 1;
    return;
  }
  runTest(tests[index++], next);
}
console.log(`${tests.length} tests`);
next();

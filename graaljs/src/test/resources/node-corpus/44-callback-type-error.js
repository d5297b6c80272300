for (const [name, fn] of [['setTimeout', setTimeout], ['setInterval', setInterval], ['setImmediate', setImmediate]]) {
  try { fn('not a function', 1); } catch (e) { console.log(name, e.name, e.code, e.message); }
}
try { setTimeout(); } catch (e) { console.log('no args', e.message); }
try { setTimeout(42); } catch (e) { console.log('number', e.message); }
try { setTimeout({}); } catch (e) { console.log('object', e.message); }
try { process.nextTick(null); } catch (e) { console.log('nextTick', e.message); }
try { queueMicrotask('x'); } catch (e) { console.log('queueMicrotask', e.name, e.code); }

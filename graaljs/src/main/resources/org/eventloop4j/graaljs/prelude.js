// eventloop4j GraalJS prelude: Node's globals on top of an eventloop4j EventLoop.
//
// Evaluated once per Context by JsRuntime. It is a function expression: JsRuntime calls it with `host` (an object
// of Java functions, see JsRuntime.HostBindings) and `quit` (GraalJS's hard-exit function, removed from the global
// scope before user code runs). It returns the entry points JsRuntime drives:
//   macrotask(fn, ...args)  the single trampoline every macrotask enters JS through: runs fn, then the nextTick queue
//   pending()               0 nothing to do, 1 ticks queued, 2 rejection events to process (checked after each entry)
//   processRejections()     emits rejectionHandled / unhandledRejection as Node's processPromiseRejections does
//   beforeExit(), exit()    lifecycle events; runMain(path, isModule) loads the main script
// Only the loop thread ever runs this code (JsRuntime enforces it).
(function (host, quit) {
  'use strict';
  const global = globalThis;
  const ObjectDefineProperty = Object.defineProperty;
  const promiseThen = Promise.prototype.then;
  const resolvedPromise = Promise.resolve();

  // ------------------------------------------------------------------ errors with Node's codes
  function describeReceived(value) {
    if (value === null) return ' Received null';
    if (value === undefined) return ' Received undefined';
    if (typeof value === 'function') return ` Received function ${value.name}`;
    if (typeof value === 'object') {
      if (value.constructor && value.constructor.name) return ` Received an instance of ${value.constructor.name}`;
      return ` Received ${inspect(value, { depth: -1 })}`;
    }
    let shown = inspect(value, { colors: false });
    if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
    return ` Received type ${typeof value} (${shown})`;
  }
  function invalidArgType(name, expected, value) {
    const err = new TypeError(`The "${name}" argument must be of type ${expected}.${describeReceived(value)}`);
    ObjectDefineProperty(err, 'code', { value: 'ERR_INVALID_ARG_TYPE', enumerable: true, writable: true, configurable: true });
    return err;
  }
  function validateFunction(fn, name) {
    if (typeof fn !== 'function') throw invalidArgType(name, 'function', fn);
  }

  class DOMException extends Error {
    constructor(message = '', options = 'Error') {
      super(message);
      const name = typeof options === 'object' && options !== null ? String(options.name ?? 'Error') : String(options);
      if (typeof options === 'object' && options !== null && 'cause' in options) {
        ObjectDefineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
      }
      ObjectDefineProperty(this, 'name', { value: name, writable: true, configurable: true });
    }
    get code() {
      const codes = { IndexSizeError: 1, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12,
        NetworkError: 19, AbortError: 20, TimeoutError: 23, DataCloneError: 25 };
      return codes[this.name] ?? 0;
    }
  }

  // ------------------------------------------------------------------ events of `process`
  const listeners = new Map(); // event name -> array of { fn, once }
  let exiting = false;

  function addListener(event, fn, once, prepend) {
    validateFunction(fn, 'listener');
    let list = listeners.get(event);
    if (!list) listeners.set(event, list = []);
    if (prepend) list.unshift({ fn, once }); else list.push({ fn, once });
    return process;
  }
  function removeListener(event, fn) {
    const list = listeners.get(event);
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i].fn === fn) { list.splice(i, 1); break; }
      }
    }
    return process;
  }
  function emit(event, ...args) {
    const list = listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const entry of [...list]) {
      if (entry.once) removeListener(event, entry.fn);
      entry.fn.apply(process, args);
    }
    return true;
  }
  function listenerCount(event) {
    const list = listeners.get(event);
    return list ? list.length : 0;
  }

  // ------------------------------------------------------------------ uncaught errors and exit
  function printFatal(err) {
    host.write(2, `${inspect(err)}\n`);
  }
  function doExit(code) {
    if (!exiting) {
      exiting = true;
      process.exitCode = code;
      try {
        emit('exit', code);
      } catch (e) {
        printFatal(e);
        code = 7;
      }
      code = toExitCode(process.exitCode, code);
    }
    quit(code);
  }
  function toExitCode(value, fallback) {
    if (value === undefined || value === null) return fallback;
    const n = Number(value);
    return Number.isInteger(n) ? n & 0xff : fallback;
  }
  // Node's triggerUncaughtException: a listener handles it, otherwise print it and exit with 1.
  function reportUncaught(err, origin = 'uncaughtException') {
    if (exiting) return;
    if (listenerCount('uncaughtException') > 0) {
      try {
        emit('uncaughtException', err, origin);
        return;
      } catch (e) {
        printFatal(e);
        doExit(7);
      }
    }
    printFatal(err);
    doExit(1);
  }

  // ------------------------------------------------------------------ nextTick queue (drained by the trampoline)
  let ticks = [];
  let tickHead = 0;
  function nextTick(callback, ...args) {
    validateFunction(callback, 'callback');
    if (exiting) return;
    ticks.push({ callback, args });
  }
  function runTicks() {
    while (tickHead < ticks.length) {
      const t = ticks[tickHead];
      ticks[tickHead++] = undefined;
      if (tickHead === ticks.length) { ticks = []; tickHead = 0; }
      try {
        t.callback(...t.args);
      } catch (e) {
        reportUncaught(e);
      }
    }
  }

  // ------------------------------------------------------------------ promise rejection tracking
  // GraalJS (js.unhandled-rejections=handler) reports a promise still unhandled after the outermost call's jobs ran.
  // Node emits unhandledRejection only after the tick queue is empty too, and rejectionHandled when a handler is
  // attached to a promise that was reported: `then` (which catch and finally also call) is watched for that.
  const rejections = new WeakMap(); // promise -> 'pending' | 'warned'
  let pendingUnhandled = [];
  let lateHandled = [];
  Graal.setUnhandledPromiseRejectionHandler((reason, promise) => {
    if (rejections.has(promise)) return;
    rejections.set(promise, 'pending');
    pendingUnhandled.push({ promise, reason });
  });
  function then(onFulfilled, onRejected) {
    const state = rejections.get(this);
    if (state !== undefined) {
      rejections.delete(this);
      if (state === 'warned') lateHandled.push(this);
    }
    return promiseThen.call(this, onFulfilled, onRejected);
  }
  ObjectDefineProperty(Promise.prototype, 'then', { value: then, writable: true, configurable: true, enumerable: false });

  function unhandledRejectionError(reason) {
    const err = new Error('This error originated either by throwing inside of an async function without a catch ' +
      'block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "' +
      `${inspect(reason)}".`);
    ObjectDefineProperty(err, 'name', { value: 'UnhandledPromiseRejection', configurable: true, writable: true });
    err.stack = `UnhandledPromiseRejection: ${err.message}`;
    err.code = 'ERR_UNHANDLED_REJECTION';
    return err;
  }
  function processRejections() {
    while (lateHandled.length > 0) {
      const promise = lateHandled.shift();
      try {
        emit('rejectionHandled', promise);
      } catch (e) {
        reportUncaught(e);
      }
    }
    while (pendingUnhandled.length > 0) {
      const { promise, reason } = pendingUnhandled.shift();
      if (rejections.get(promise) !== 'pending') continue; // handled in the meantime
      rejections.set(promise, 'warned');
      try {
        if (!emit('unhandledRejection', reason, promise)) {
          reportUncaught(reason instanceof Error ? reason : unhandledRejectionError(reason), 'unhandledRejection');
        }
      } catch (e) {
        reportUncaught(e);
      }
    }
  }
  function pending() {
    if (exiting) return 0;
    if (tickHead < ticks.length) return 1;
    if (pendingUnhandled.length > 0 || lateHandled.length > 0) return 2;
    return 0;
  }

  // ------------------------------------------------------------------ the trampoline
  function macrotask(fn, ...args) {
    if (exiting) return;
    try {
      fn(...args);
    } catch (e) {
      reportUncaught(e);
    }
    runTicks();
  }

  // Calls fn(...args) for Java code that needs its result (promise reactions): returns [true, value] or
  // [false, thrown]; then runs the tick queue like the trampoline.
  function invoke(fn, ...args) {
    let result;
    try {
      result = [true, fn(...args)];
    } catch (e) {
      result = [false, e];
    }
    if (!exiting) runTicks();
    return result;
  }
  // Java promises seen from JS: a plain JS object (so identity and typeof behave) whose then() forwards to the
  // Java side; the WeakMap lets Java recognise its own promises without touching user-visible properties.
  const javaPromises = new WeakMap();
  function wrapJavaPromise(handle) {
    const p = {
      then(onFulfilled, onRejected) { return handle.then(onFulfilled, onRejected); },
    };
    javaPromises.set(p, handle);
    return p;
  }
  function unwrapJavaPromise(value) {
    return (typeof value === 'object' || typeof value === 'function') && value !== null
      ? javaPromises.get(value) ?? null : null;
  }
  // Subscribes Java to a native promise right away (so it counts as handled, as an `await` would); false for
  // other values, which Java adopts lazily (looking up `then` once, in a job).
  function subscribe(value, onFulfilled, onRejected) {
    if (!(value instanceof Promise)) return false;
    then.call(value, onFulfilled, onRejected);
    return true;
  }
  function callWithThis(fn, self, ...args) {
    return fn.apply(self, args);
  }

  // ------------------------------------------------------------------ microtasks
  function queueMicrotask(callback) {
    validateFunction(callback, 'callback');
    promiseThen.call(resolvedPromise, () => {
      try {
        callback();
      } catch (e) {
        reportUncaught(e);
      }
    });
  }

  // ------------------------------------------------------------------ timers
  const kId = Symbol('timerId');
  const kFired = Symbol('fired');
  const TIMEOUT_MAX = 2147483647;
  function coerceDelay(after) {
    after *= 1;
    if (!(after >= 1 && after <= TIMEOUT_MAX)) {
      if (after > TIMEOUT_MAX) {
        emitWarning(`${after} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`,
          'TimeoutOverflowWarning');
      }
      after = 1;
    }
    return after;
  }
  class Timeout {
    constructor(callback, after, args, repeat) {
      this._idleTimeout = after;
      this._onTimeout = callback;
      this._repeat = repeat ? after : null;
      this[kFired] = false;
      this[kId] = this._schedule(args);
    }
    _schedule(args) {
      const task = () => {
        if (this._repeat === null) this[kFired] = true;
        this._onTimeout.apply(this, args);
      };
      this._args = args;
      return host.setTimer(task, this._idleTimeout, this._repeat !== null);
    }
    ref() { host.refTimer(this[kId]); return this; }
    unref() { host.unrefTimer(this[kId]); return this; }
    hasRef() { return host.hasRef(this[kId]); }
    refresh() {
      if (this[kFired] && this._onTimeout) {
        this[kFired] = false;
        this[kId] = this._schedule(this._args);
      } else {
        host.refreshTimer(this[kId]);
      }
      return this;
    }
    close() { clearTimeout(this); return this; }
    [Symbol.toPrimitive]() { return this[kId]; }
  }
  class Immediate {
    constructor(callback, args) {
      this._onImmediate = callback;
      this._argv = args;
      this[kId] = host.setImmediate(() => callback.apply(this, args), true);
      this._ref = true;
    }
    ref() {
      if (!this._ref && this[kId] !== 0) { this._ref = true; this[kId] = host.refImmediate(this[kId], true); }
      return this;
    }
    unref() {
      if (this._ref && this[kId] !== 0) { this._ref = false; this[kId] = host.refImmediate(this[kId], false); }
      return this;
    }
    hasRef() { return this._ref; }
  }
  function timerId(handle) {
    if (handle instanceof Timeout || handle instanceof Immediate) return handle[kId];
    if (typeof handle === 'number' || typeof handle === 'string') {
      const n = Number(handle);
      return Number.isSafeInteger(n) && n > 0 ? n : 0;
    }
    return 0;
  }
  function setTimeout(callback, after, ...args) {
    validateFunction(callback, 'callback');
    return new Timeout(callback, coerceDelay(after), args, false);
  }
  function setInterval(callback, repeat, ...args) {
    validateFunction(callback, 'callback');
    return new Timeout(callback, coerceDelay(repeat), args, true);
  }
  function clearTimeout(handle) {
    if (handle instanceof Timeout) handle._onTimeout = null;
    const id = timerId(handle);
    if (id > 0) host.clearTimer(id);
  }
  function setImmediate(callback, ...args) {
    validateFunction(callback, 'callback');
    return new Immediate(callback, args);
  }
  function clearImmediate(handle) {
    const id = timerId(handle);
    if (id > 0) host.clearImmediate(id);
    if (handle instanceof Immediate) handle[kId] = 0;
  }

  // ------------------------------------------------------------------ warnings
  function emitWarning(message, type = 'Warning') {
    let warning = message;
    if (!(message instanceof Error)) {
      warning = new Error(String(message));
      ObjectDefineProperty(warning, 'name', { value: typeof type === 'string' ? type : (type && type.type) || 'Warning', configurable: true, writable: true });
    }
    nextTick(() => {
      if (!emit('warning', warning)) {
        host.write(2, `(node:${host.pid}) ${warning.name}: ${warning.message}\n` +
          '(Use `node --trace-warnings ...` to show where the warning was created)\n');
      }
    });
  }

  // ------------------------------------------------------------------ util.inspect (the subset console needs)
  const kCircular = Symbol('circular');
  function strEscape(str) {
    let quote = "'";
    if (str.includes("'")) {
      if (!str.includes('"')) quote = '"';
      else if (!str.includes('`') && !str.includes('${')) quote = '`';
    }
    let out = '';
    for (let i = 0; i < str.length; i++) {
      const ch = str[i];
      const c = str.charCodeAt(i);
      if (ch === quote || ch === '\\') out += `\\${ch}`;
      else if (c < 0x20 || c === 0x7f) {
        const named = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[c];
        out += named ?? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
      } else out += ch;
    }
    return quote + out + quote;
  }
  function formatKey(key) {
    if (typeof key === 'symbol') return `[${String(key)}]`;
    return /^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key) ? key : strEscape(key);
  }
  function formatNumber(n) { return Object.is(n, -0) ? '-0' : String(n); }
  function formatPrimitive(v) {
    switch (typeof v) {
      case 'string': return strEscape(v);
      case 'number': return formatNumber(v);
      case 'bigint': return `${v}n`;
      case 'symbol': return String(v);
      default: return String(v);
    }
  }
  function functionBase(fn) {
    const src = Function.prototype.toString.call(fn);
    if (src.startsWith('class') && /^class[\s{]/.test(src)) {
      let base = `[class ${fn.name || '(anonymous)'}`;
      const parent = Object.getPrototypeOf(fn);
      if (parent && parent.name) base += ` extends ${parent.name}`;
      return `${base}]`;
    }
    let type = 'Function';
    const tag = fn[Symbol.toStringTag];
    if (tag === 'AsyncFunction' || tag === 'GeneratorFunction' || tag === 'AsyncGeneratorFunction') type = tag;
    return fn.name ? `[${type}: ${fn.name}]` : `[${type} (anonymous)]`;
  }
  function constructorName(obj) {
    let proto = Object.getPrototypeOf(obj);
    while (proto) {
      const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
      if (desc && typeof desc.value === 'function' && desc.value.name) return desc.value.name;
      proto = Object.getPrototypeOf(proto);
    }
    return null;
  }
  function isError(v) {
    return v instanceof Error || Object.prototype.toString.call(v) === '[object Error]';
  }
  function formatError(err, ctx, depth) {
    let stack = typeof err.stack === 'string' && err.stack ? err.stack : `[${Error.prototype.toString.call(err)}]`;
    const name = err.name || 'Error';
    if (typeof err.stack === 'string' && !stack.includes(err.message)) stack = `${name}: ${err.message}\n${stack}`;
    if (typeof err.stack === 'string' && stack.split('\n').length > 1 === false && stack.startsWith(name)) {
      // a stack without frames prints in brackets, as Node does
      stack = `[${stack}]`;
    }
    const keys = Object.keys(err).filter(k => k !== 'stack' && k !== 'message');
    if (keys.length === 0) return stack;
    const out = keys.map(k => `${formatKey(k)}: ${formatValue(ctx, err[k], depth + 1)}`);
    return reduceToSingleString(ctx, out, stack, ['{', '}'], false, depth, err);
  }
  function inspect(value, opts = {}) {
    const ctx = {
      depth: opts.depth === undefined ? 2 : (opts.depth === null ? Infinity : opts.depth),
      breakLength: opts.breakLength ?? 80, compact: 3, indentationLvl: 0, currentDepth: 0,
      seen: [], circular: new Map(),
    };
    return formatValue(ctx, value, 0, true);
  }
  function formatValue(ctx, value, depth, top) {
    if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(value);
    if (value === null) return 'null';
    if (ctx.seen.includes(value)) {
      let index = ctx.circular.get(value);
      if (index === undefined) { index = ctx.circular.size + 1; ctx.circular.set(value, index); }
      return `[Circular *${index}]`;
    }
    return formatRaw(ctx, value, depth);
  }
  function formatRaw(ctx, value, depth) {
    let base = '';
    let braces;
    let entries = []; // formatted entries
    let isArrayLike = false;
    const ownKeys = () => {
      const keys = Object.keys(value);
      for (const s of Object.getOwnPropertySymbols(value)) {
        if (Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s);
      }
      return keys;
    };
    let keys;
    const ctorName = constructorName(value);
    const tooDeep = depth > ctx.depth;
    if (typeof value === 'function') {
      base = functionBase(value);
      keys = ownKeys().filter(k => k !== 'prototype');
      if (keys.length === 0) return base;
      braces = ['{', '}'];
    } else if (Array.isArray(value)) {
      const prefix = ctorName !== 'Array' ? `${ctorName ?? '[Array: null prototype]'}(${value.length}) ` : '';
      braces = [`${prefix}[`, ']'];
      isArrayLike = true;
      keys = ownKeys().filter(k => typeof k === 'symbol' || !(String(k >>> 0) === k && (k >>> 0) < 4294967295));
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      if (tooDeep) return '[Array]';
    } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      if (tooDeep) return `[${ctorName}]`;
      braces = [`${ctorName}(${value.length}) [`, ']'];
      isArrayLike = true;
      keys = [];
    } else if (value instanceof Map) {
      braces = [`${ctorName === 'Map' ? 'Map' : ctorName}(${value.size}) {`, '}'];
      keys = ownKeys();
      if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
      if (tooDeep) return '[Map]';
    } else if (value instanceof Set) {
      braces = [`${ctorName === 'Set' ? 'Set' : ctorName}(${value.size}) {`, '}'];
      keys = ownKeys();
      if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
      if (tooDeep) return '[Set]';
    } else if (isError(value)) {
      if (tooDeep) return `[${Error.prototype.toString.call(value)}]`;
      return formatError(value, ctx, depth);
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      keys = ownKeys();
      if (keys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      keys = ownKeys().filter(k => k !== 'lastIndex');
      if (keys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof Promise) {
      braces = ['Promise {', '}'];
      entries.push('<state not observable>');
      keys = ownKeys();
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      return `${ctorName} { <items unknown> }`;
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean ||
        (typeof BigInt === 'function' && value instanceof BigInt) || value instanceof Symbol) {
      const prim = value.valueOf();
      const type = value instanceof Number ? 'Number' : value instanceof String ? 'String' : value instanceof Boolean ? 'Boolean' : value instanceof Symbol ? 'Symbol' : 'BigInt';
      base = `[${type}: ${formatPrimitive(prim)}]`;
      keys = ownKeys();
      if (value instanceof String) keys = keys.filter(k => !(String(k >>> 0) === k && (k >>> 0) < prim.length));
      if (keys.length === 0) return base;
      braces = ['{', '}'];
    } else if (typeof value === 'object' && Object.prototype.toString.call(value) === '[object Object]' &&
        (Object.getPrototypeOf(value) === null || ctorName !== null)) {
      keys = ownKeys();
      let prefix = '';
      if (ctorName === null) prefix = '[Object: null prototype] ';
      else if (ctorName !== 'Object') prefix = `${ctorName} `;
      const tag = value[Symbol.toStringTag];
      if (typeof tag === 'string' && tag !== '' && tag !== ctorName) prefix = `${prefix || 'Object '}[${tag}] `;
      if (keys.length === 0) return `${prefix}{}`; // empty objects print even past the depth limit
      if (tooDeep) return `[${ctorName === null ? 'Object: null prototype' : ctorName}]`;
      braces = [`${prefix}{`, '}'];
    } else {
      // foreign (host) objects and exotic built-ins
      keys = [];
      try {
        const tag = Object.prototype.toString.call(value).slice(8, -1);
        const s = String(value);
        return s.startsWith('[object') ? `${tag} {}` : s;
      } catch (e) {
        return '[object]';
      }
    }
    if (tooDeep) return `[${ctorName || 'Object'}]`;

    ctx.seen.push(value);
    ctx.currentDepth = depth;
    const savedIndent = ctx.indentationLvl;
    try {
      if (isArrayLike) {
        const len = value.length;
        const max = Math.min(len, 100);
        let holes = 0;
        const flushHoles = () => {
          if (holes > 0) { entries.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`); holes = 0; }
        };
        for (let i = 0; i < max; i++) {
          if (!Object.prototype.hasOwnProperty.call(value, i)) { holes++; continue; }
          flushHoles();
          ctx.indentationLvl = savedIndent + 2;
          entries.push(formatValue(ctx, value[i], depth + 1));
        }
        flushHoles();
        if (len > max) entries.push(`... ${len - max} more item${len - max > 1 ? 's' : ''}`);
      } else if (value instanceof Map) {
        ctx.indentationLvl = savedIndent + 2;
        for (const [k, v] of value) entries.push(`${formatValue(ctx, k, depth + 1)} => ${formatValue(ctx, v, depth + 1)}`);
      } else if (value instanceof Set) {
        ctx.indentationLvl = savedIndent + 2;
        for (const v of value) entries.push(formatValue(ctx, v, depth + 1));
      }
      for (const key of keys) {
        ctx.indentationLvl = savedIndent + 2;
        const desc = Object.getOwnPropertyDescriptor(value, key);
        let str;
        if (desc.get || desc.set) str = desc.get && desc.set ? '[Getter/Setter]' : desc.get ? '[Getter]' : '[Setter]';
        else str = formatValue(ctx, desc.value, depth + 1);
        entries.push(`${formatKey(key)}: ${str}`);
      }
    } finally {
      ctx.indentationLvl = savedIndent;
      ctx.seen.pop();
    }
    let result = reduceToSingleString(ctx, entries, base, braces, isArrayLike, depth, value);
    const index = ctx.circular.get(value);
    if (index !== undefined) result = `<ref *${index}> ${result}`;
    return result;
  }
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let outputLength = output.length;
    if (outputLength > 0 && output[outputLength - 1].startsWith('... ')) outputLength--;
    const separatorSpace = 2;
    const dataLen = [];
    for (let i = 0; i < outputLength; i++) {
      const len = output[i].length;
      dataLen.push(len);
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15);
      if (columns <= 1) return output;
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < outputLength; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
        maxLineLength.push(lineLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < outputLength; i++) {
          if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { padStart = false; break; }
        }
      }
      const rows = [];
      for (let i = 0; i < outputLength; i += columns) {
        const max = Math.min(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const cell = `${output[j]}, `;
          str += padStart ? cell.padStart(maxLineLength[j - i], ' ') : cell.padEnd(maxLineLength[j - i], ' ');
        }
        str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, ' ') : output[j];
        rows.push(str);
      }
      if (outputLength < output.length) rows.push(output[outputLength]);
      return rows;
    }
    return output;
  }
  function reduceToSingleString(ctx, output, base, braces, isArrayLike, depth, value) {
    const entries = output.length;
    if (entries === 0) return `${base ? `${base} ` : ''}${braces[0]}${braces[1]}`;
    if (isArrayLike && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - depth < ctx.compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      let totalLength = output.length + start;
      let fits = totalLength + output.length <= ctx.breakLength;
      for (let i = 0; fits && i < output.length; i++) {
        totalLength += output[i].length;
        if (totalLength > ctx.breakLength) fits = false;
      }
      if (fits && !base.includes('\n')) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) {
          return `${base ? `${base} ` : ''}${braces[0]} ${joined}` + ` ${braces[1]}`;
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    if (entries === 0 && output.length === 0) return `${base ? `${base} ` : ''}${braces[0]}${braces[1]}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }

  // ------------------------------------------------------------------ console
  function formatWithOptions(args) {
    if (args.length === 0) return '';
    const first = args[0];
    let a = 0;
    let str = '';
    let join = '';
    if (typeof first === 'string') {
      if (args.length === 1) return first;
      let lastPos = 0;
      let tempStr;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) !== 37) continue; // '%'
        const next = first.charCodeAt(i + 1);
        if (a + 1 !== args.length) {
          switch (next) {
            case 115: { // s
              const arg = args[++a];
              if (typeof arg === 'number') tempStr = formatNumber(arg);
              else if (typeof arg === 'bigint') tempStr = `${arg}n`;
              else if (typeof arg !== 'object' || arg === null) tempStr = String(arg);
              else tempStr = inspect(arg, { depth: 0 });
              break;
            }
            case 106: // j
              tempStr = (() => {
                try { return JSON.stringify(args[++a]); } catch (e) {
                  if (e instanceof TypeError && /circular/i.test(e.message)) return '[Circular]';
                  throw e;
                }
              })();
              break;
            case 100: { // d
              const n = args[++a];
              if (typeof n === 'bigint') tempStr = `${n}n`;
              else if (typeof n === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(Number(n));
              break;
            }
            case 79: tempStr = inspect(args[++a]); break; // O
            case 111: tempStr = inspect(args[++a], { depth: 4 }); break; // o
            case 105: { // i
              const n = args[++a];
              if (typeof n === 'bigint') tempStr = `${n}n`;
              else if (typeof n === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(parseInt(n));
              break;
            }
            case 102: { // f
              const n = args[++a];
              tempStr = typeof n === 'symbol' ? 'NaN' : formatNumber(parseFloat(n));
              break;
            }
            case 99: a++; tempStr = ''; break; // c
            case 37: str += first.slice(lastPos, i); lastPos = i + 1; continue; // %%
            default: continue;
          }
          if (lastPos !== i - 1) str += first.slice(lastPos, i);
          str += tempStr;
          lastPos = i + 2;
          i++;
        } else if (next === 37) {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
      if (lastPos !== 0) {
        a++;
        join = ' ';
        if (lastPos < first.length) str += first.slice(lastPos);
      }
    }
    while (a < args.length) {
      const v = args[a];
      str += join;
      str += typeof v !== 'string' ? inspect(v) : v;
      join = ' ';
      a++;
    }
    return str;
  }
  let groupIndent = '';
  function writer(fd) {
    return (...args) => {
      let text = formatWithOptions(args);
      if (groupIndent) text = groupIndent + text.split('\n').join(`\n${groupIndent}`);
      host.write(fd, `${text}\n`);
    };
  }
  const counts = new Map();
  const timersByLabel = new Map();
  const console = {
    log: writer(1), info: writer(1), debug: writer(1), warn: writer(2), error: writer(2),
    trace(...args) {
      const err = new Error(formatWithOptions(args));
      err.name = 'Trace';
      writer(2)(err.stack);
    },
    dir(obj, options) { host.write(1, `${groupIndent}${inspect(obj, options || {})}\n`); },
    assert(ok, ...args) {
      if (!ok) { args[0] = `Assertion failed${args.length === 0 ? '' : `: ${args[0]}`}`; writer(2)(...(args.length ? args : ['Assertion failed'])); }
    },
    count(label = 'default') { const n = (counts.get(label) || 0) + 1; counts.set(label, n); writer(1)(`${label}: ${n}`); },
    countReset(label = 'default') { counts.delete(label); },
    group(...label) { if (label.length) writer(1)(...label); groupIndent += '  '; },
    groupEnd() { groupIndent = groupIndent.slice(0, -2); },
    time(label = 'default') { timersByLabel.set(label, host.now()); },
    timeEnd(label = 'default') {
      const t = timersByLabel.get(label);
      if (t !== undefined) { timersByLabel.delete(label); writer(1)(`${label}: ${(host.now() - t).toFixed(3)}ms`); }
    },
    timeLog(label = 'default', ...data) {
      const t = timersByLabel.get(label);
      if (t !== undefined) writer(1)(`${label}: ${(host.now() - t).toFixed(3)}ms`, ...data);
    },
  };
  console.groupCollapsed = console.group;

  // ------------------------------------------------------------------ Event, EventTarget, AbortController
  const kStop = Symbol('stop');
  class Event {
    constructor(type, init = {}) {
      if (arguments.length === 0) throw new TypeError('The "type" argument must be specified');
      this._type = String(type);
      this._bubbles = !!init.bubbles;
      this._cancelable = !!init.cancelable;
      this._composed = !!init.composed;
      this._defaultPrevented = false;
      this._target = null;
      this._currentTarget = null;
      this._timeStamp = host.now();
      this[kStop] = false;
    }
    get type() { return this._type; }
    get bubbles() { return this._bubbles; }
    get cancelable() { return this._cancelable; }
    get composed() { return this._composed; }
    get defaultPrevented() { return this._cancelable && this._defaultPrevented; }
    get target() { return this._target; }
    get currentTarget() { return this._currentTarget; }
    get srcElement() { return this._target; }
    get timeStamp() { return this._timeStamp; }
    get isTrusted() { return false; }
    get eventPhase() { return this._currentTarget ? 2 : 0; }
    get returnValue() { return !this.defaultPrevented; }
    preventDefault() { this._defaultPrevented = true; }
    stopPropagation() {}
    stopImmediatePropagation() { this[kStop] = true; }
    composedPath() { return this._currentTarget ? [this._currentTarget] : []; }
  }
  class CustomEvent extends Event {
    constructor(type, init = {}) { super(type, init); this._detail = init.detail ?? null; }
    get detail() { return this._detail; }
  }
  const kListeners = Symbol('listeners');
  class EventTarget {
    constructor() { ObjectDefineProperty(this, kListeners, { value: new Map() }); }
    addEventListener(type, listener, options) {
      if (listener === null || listener === undefined) return;
      const once = typeof options === 'object' && options !== null && !!options.once;
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const signal = typeof options === 'object' && options !== null ? options.signal : undefined;
      if (signal && signal.aborted) return;
      let list = this[kListeners].get(type);
      if (!list) this[kListeners].set(type, list = []);
      if (list.some(l => l.listener === listener && l.capture === capture)) return;
      const entry = { listener, once, capture, removed: false };
      list.push(entry);
      if (signal) signal.addEventListener('abort', () => this.removeEventListener(type, listener, options), { once: true });
    }
    removeEventListener(type, listener, options) {
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const list = this[kListeners].get(type);
      if (!list) return;
      const i = list.findIndex(l => l.listener === listener && l.capture === capture);
      if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) throw invalidArgType('event', 'Event', event);
      event._target = this;
      event._currentTarget = this;
      const list = this[kListeners].get(event.type);
      if (list) {
        for (const entry of [...list]) {
          if (entry.removed) continue;
          if (entry.once) this.removeEventListener(event.type, entry.listener, entry.capture);
          try {
            const l = entry.listener;
            if (typeof l === 'function') l.call(this, event);
            else if (l && typeof l.handleEvent === 'function') l.handleEvent(event);
          } catch (e) {
            nextTick(() => { throw e; });
          }
          if (event[kStop]) break;
        }
      }
      event._currentTarget = null;
      return !event.defaultPrevented;
    }
  }
  const kAborted = Symbol('aborted');
  const kReason = Symbol('reason');
  const kOnAbort = Symbol('onabort');
  const kCreate = Symbol('create');
  class AbortSignal extends EventTarget {
    constructor(key) {
      if (key !== kCreate) throw new TypeError('Illegal constructor');
      super();
      this[kAborted] = false;
      this[kReason] = undefined;
      this[kOnAbort] = null;
    }
    get aborted() { return this[kAborted]; }
    get reason() { return this[kReason]; }
    get onabort() { return this[kOnAbort] ? this[kOnAbort].handler : null; }
    set onabort(handler) {
      if (!this[kOnAbort]) {
        const holder = { handler: null, fn: (e) => { if (typeof holder.handler === 'function') holder.handler.call(this, e); } };
        this[kOnAbort] = holder;
        this.addEventListener('abort', holder.fn);
      }
      this[kOnAbort].handler = handler;
    }
    throwIfAborted() { if (this[kAborted]) throw this[kReason]; }
    static abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
      const s = new AbortSignal(kCreate);
      s[kAborted] = true;
      s[kReason] = reason;
      return s;
    }
    static timeout(delay) {
      const s = new AbortSignal(kCreate);
      setTimeout(() => abortSignal(s, new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
        delay).unref();
      return s;
    }
    static any(signals) {
      const s = new AbortSignal(kCreate);
      for (const source of signals) {
        if (source.aborted) { s[kAborted] = true; s[kReason] = source.reason; return s; }
      }
      for (const source of signals) {
        source.addEventListener('abort', () => abortSignal(s, source.reason), { once: true });
      }
      return s;
    }
    get [Symbol.toStringTag]() { return 'AbortSignal'; }
  }
  function abortSignal(signal, reason) {
    if (signal[kAborted]) return;
    signal[kAborted] = true;
    signal[kReason] = reason;
    signal.dispatchEvent(new Event('abort'));
  }
  class AbortController {
    constructor() { this._signal = new AbortSignal(kCreate); }
    get signal() { return this._signal; }
    abort(reason = new DOMException('This operation was aborted', 'AbortError')) { abortSignal(this._signal, reason); }
  }

  // ------------------------------------------------------------------ structuredClone (plain data)
  function structuredClone(value) {
    const memory = new Map();
    const fail = (v) => {
      const shown = typeof v === 'function' ? Function.prototype.toString.call(v) : String(v);
      throw new DOMException(`${shown} could not be cloned.`, 'DataCloneError');
    };
    function clone(v) {
      if (typeof v === 'function' || typeof v === 'symbol') fail(v);
      if (typeof v !== 'object' || v === null) return v;
      if (memory.has(v)) return memory.get(v);
      let out;
      if (Array.isArray(v)) {
        out = new Array(v.length);
        memory.set(v, out);
        for (const k of Object.keys(v)) out[k] = clone(v[k]);
        return out;
      }
      if (v instanceof Date) { out = new Date(v.getTime()); memory.set(v, out); return out; }
      if (v instanceof RegExp) { out = new RegExp(v.source, v.flags); memory.set(v, out); return out; }
      if (v instanceof Map) { out = new Map(); memory.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
      if (v instanceof Set) { out = new Set(); memory.set(v, out); for (const x of v) out.add(clone(x)); return out; }
      if (v instanceof ArrayBuffer) { out = v.slice(0); memory.set(v, out); return out; }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) { out = new v.constructor(v); memory.set(v, out); return out; }
      if (isError(v)) {
        const Ctor = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }[v.name] || Error;
        out = new Ctor(v.message);
        memory.set(v, out);
        if (typeof v.stack === 'string') out.stack = v.stack;
        if ('cause' in v) out.cause = clone(v.cause);
        return out;
      }
      if (v instanceof Number || v instanceof String || v instanceof Boolean) { out = Object(v.valueOf()); memory.set(v, out); return out; }
      const tag = Object.prototype.toString.call(v);
      if (tag !== '[object Object]' || v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) fail(v);
      out = {};
      memory.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    }
    return clone(value);
  }

  // ------------------------------------------------------------------ process, performance
  const env = Object.create(null);
  for (const [k, v] of Object.entries(host.env)) env[k] = String(v);
  const startTime = host.now();
  const process = {
    argv: [...host.argv], argv0: host.argv[0], execArgv: [], env, pid: host.pid, platform: host.platform,
    version: 'v20.0.0-eventloop4j', versions: { eventloop4j: host.version },
    exitCode: undefined,
    title: 'jsrun', release: { name: 'eventloop4j' },
    nextTick,
    on: (e, fn) => addListener(e, fn, false, false),
    addListener: (e, fn) => addListener(e, fn, false, false),
    prependListener: (e, fn) => addListener(e, fn, false, true),
    once: (e, fn) => addListener(e, fn, true, false),
    prependOnceListener: (e, fn) => addListener(e, fn, true, true),
    off: removeListener, removeListener,
    removeAllListeners(e) { if (e === undefined) listeners.clear(); else listeners.delete(e); return process; },
    emit, listenerCount,
    listeners(e) { return (listeners.get(e) || []).map(l => l.fn); },
    exit(code) {
      doExit(toExitCode(code, toExitCode(process.exitCode, 0)));
    },
    emitWarning,
    cwd: () => host.cwd,
    uptime: () => (host.now() - startTime) / 1000,
    hrtime: Object.assign((prev) => {
      const ns = BigInt(Math.round(host.now() * 1e6));
      const t = [Number(ns / 1000000000n), Number(ns % 1000000000n)];
      if (!prev) return t;
      let s = t[0] - prev[0];
      let n = t[1] - prev[1];
      if (n < 0) { s--; n += 1e9; }
      return [s, n];
    }, { bigint: () => BigInt(Math.round(host.now() * 1e6)) }),
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
  };
  Object.defineProperty(process, Symbol.toStringTag, { value: 'process' });
  const performance = {
    now: () => host.now() - startTime,
    timeOrigin: Date.now() - (host.now() - startTime),
    toJSON() { return { timeOrigin: this.timeOrigin }; },
  };

  // ------------------------------------------------------------------ CommonJS modules (relative files only)
  const moduleCache = new Map();
  const builtinModules = new Map(); // name -> exports, registered by the embedder (JsRuntime.registerModule)
  function makeRequire(dir) {
    function require(spec) {
      if (typeof spec !== 'string' || spec === '') throw invalidArgType('id', 'string', spec);
      const name = spec.startsWith('node:') ? spec.slice(5) : spec;
      if (builtinModules.has(name)) return builtinModules.get(name);
      const path = host.resolveModule(dir, spec);
      if (path === null || path === undefined) {
        const err = new Error(`Cannot find module '${spec}'` +
          (spec.startsWith('.') || spec.startsWith('/') ? '' : ' (only relative and absolute file paths can be required)'));
        err.code = 'MODULE_NOT_FOUND';
        throw err;
      }
      return loadModule(path).exports;
    }
    require.cache = moduleCache;
    require.resolve = (spec) => {
      const p = host.resolveModule(dir, spec);
      if (p === null || p === undefined) throw new Error(`Cannot find module '${spec}'`);
      return p;
    };
    return require;
  }
  function loadModule(path) {
    const cached = moduleCache.get(path);
    if (cached) return cached;
    const dirname = host.dirname(path);
    const module = { id: path, filename: path, path: dirname, exports: {}, loaded: false, children: [] };
    moduleCache.set(path, module);
    try {
      if (path.endsWith('.json')) {
        module.exports = JSON.parse(host.readModuleText(path));
      } else {
        const wrapper = host.compileCommonJs(path);
        const require = makeRequire(dirname);
        module.require = require;
        wrapper.call(module.exports, module.exports, require, module, path, dirname);
      }
      module.loaded = true;
    } catch (e) {
      moduleCache.delete(path);
      throw e;
    }
    return module;
  }
  function runMain(path, isModule) {
    process.argv[1] = path;
    if (isModule) {
      const completion = host.evalModule(path);
      if (completion && typeof completion.then === 'function') {
        promiseThen.call(completion, undefined, (e) => reportUncaught(e));
      }
      return;
    }
    loadModule(path);
  }

  // ------------------------------------------------------------------ install globals
  const globals = {
    setTimeout, setInterval, clearTimeout, clearInterval: clearTimeout, setImmediate, clearImmediate,
    queueMicrotask, structuredClone, console, process, performance,
    Event, CustomEvent, EventTarget, AbortController, AbortSignal, DOMException,
  };
  for (const [name, value] of Object.entries(globals)) {
    ObjectDefineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  }
  ObjectDefineProperty(global, 'global', { value: global, writable: true, configurable: true, enumerable: false });
  // Shell helpers GraalJS adds (js.shell) are not Node's: only `quit` was needed, and only by this prelude.
  for (const name of ['quit', 'print', 'printErr', 'read', 'readline', 'readbuffer', 'load', 'loadWithNewGlobal', 'console_log']) {
    if (Object.prototype.hasOwnProperty.call(global, name) && name !== 'console') delete global[name];
  }

  return {
    macrotask, invoke, callWithThis, subscribe, wrapJavaPromise, unwrapJavaPromise, pending, processRejections, runMain, inspect,
    registerModule(name, exports) { builtinModules.set(name, exports); }, format: (...a) => formatWithOptions(a),
    beforeExit() {
      if (exiting) return;
      const code = toExitCode(process.exitCode, 0);
      emit('beforeExit', code);
    },
    exit() {
      if (exiting) return toExitCode(process.exitCode, 0);
      exiting = true;
      const code = toExitCode(process.exitCode, 0);
      process.exitCode = code;
      emit('exit', code);
      return toExitCode(process.exitCode, code);
    },
    exitCode() { return toExitCode(process.exitCode, 0); },
    reportUncaught,
  };
})

package org.eventloop4j.graaljs;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.eventloop4j.ChainingCycleException;
import org.eventloop4j.Promise;
import org.eventloop4j.Thenable;
import org.eventloop4j.ThenableLookup;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Converts between JavaScript promises (and thenables) and {@link Promise}, the Java promise of eventloop4j.
 * Obtain it with {@link JsRuntime#promises()}.
 *
 * <ul>
 * <li>{@link #toJs(Promise)}: a JavaScript thenable backed by the Java promise: {@code await} it, or pass it to
 * {@code Promise.resolve}. Its {@code then(onFulfilled, onRejected)} is the Java promise's {@code then}, returning
 * another such thenable, so JavaScript code can chain Java promises directly (the Promises/A+ suite runs this way).
 * </li>
 * <li>{@link #toJava(Value)}: a Java promise that adopts a JavaScript promise or thenable (looking {@code then} up
 * exactly once, as the specification requires); {@link #toCompletableFuture(Value)} for {@code CompletableFuture}
 * users.</li>
 * <li>Values cross unchanged: a JavaScript value is held as a {@link Value}, and a JavaScript rejection reason that
 * is not a Java {@link Throwable} travels as a {@link JsException} and is unwrapped on the way back, so identity is
 * preserved.</li>
 * </ul>
 *
 * <p>Threads: every method must run on the loop thread (they touch the context), except that a Java promise from
 * {@link #toJava} may be used from any thread, and the resolvers of a Java promise passed to {@link #toJs} may be
 * called from any thread: the Java promise hands its reactions to the loop.
 */
public final class JsPromises {

    private final JsRuntime runtime;

    JsPromises(JsRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * A JavaScript thenable for a Java promise.
     *
     * @param promise the Java promise
     * @return a JavaScript object with {@code then}
     */
    public Value toJs(Promise<?> promise) {
        Objects.requireNonNull(promise, "promise");
        runtime.context(); // thread check
        return runtime.wrapJavaPromise(new JavaThenable(promise));
    }

    /**
     * A native JavaScript {@code Promise} that follows a Java promise (it has {@code catch} and {@code finally}).
     *
     * @param promise the Java promise
     * @return a JavaScript promise
     */
    public Value toJsPromise(Promise<?> promise) {
        Value thenable = toJs(promise);
        return runtime.context().getBindings("js").getMember("Promise").invokeMember("resolve", thenable);
    }

    /**
     * A Java promise adopting a JavaScript value: a promise or thenable is followed, anything else fulfils it.
     * Fulfilment values are {@link Value}s (or Java objects the script got from Java); rejection reasons are the
     * thrown Java {@link Throwable} or a {@link JsException}.
     *
     * @param value a JavaScript value
     * @return the Java promise (on the runtime's loop)
     */
    public Promise<Object> toJava(Value value) {
        runtime.context(); // thread check
        Promise.Resolvers<Object> r = Promise.withResolvers(runtime.loop());
        ProxyExecutable onFulfilled = a -> r.resolve(resolution(arg(a, 0)));
        ProxyExecutable onRejected = a -> r.reject(reason(arg(a, 0)));
        if (runtime.subscribe(value, onFulfilled, onRejected)) {
            return r.promise();
        }
        r.resolve(resolution(value));
        return r.promise();
    }

    /**
     * A {@code CompletableFuture} completed (on the loop thread) when the JavaScript promise settles. Strings,
     * numbers, booleans, null and undefined complete it as Java values ({@code String}, {@code Integer}/{@code Long}/
     * {@code Double}, {@code Boolean}, null); other values as {@link Value}s, usable on the loop thread only. A
     * rejection completes it exceptionally with the Java throwable or a {@link JsException} (message computed on the
     * loop thread, safe to read anywhere).
     *
     * @param value a JavaScript promise, thenable or value
     * @return the future
     */
    public CompletableFuture<Object> toCompletableFuture(Value value) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        toJava(value).then(v -> {
            f.complete(toPlainJava(v));
            return null;
        }, e -> {
            f.completeExceptionally(e);
            return null;
        });
        return f;
    }

    /**
     * A pending Java promise and a JavaScript object {@code {promise, resolve, reject}} settling it (what the
     * Promises/A+ suite calls {@code deferred()}): {@code promise} is {@link #toJs} of the Java promise.
     *
     * @return the JavaScript object
     */
    public Value deferred() {
        Promise.Resolvers<Object> r = Promise.withResolvers(runtime.loop());
        Map<String, Object> m = new HashMap<>();
        m.put("promise", runtime.wrapJavaPromise(new JavaThenable(r.promise())));
        m.put("resolve", (ProxyExecutable) a -> r.resolve(resolution(arg(a, 0))));
        m.put("reject", (ProxyExecutable) a -> r.reject(reason(arg(a, 0))));
        return runtime.context().asValue(ProxyObject.fromMap(m));
    }

    // =================================================================== conversions

    private Value arg(Value[] args, int i) {
        return i < args.length ? args[i] : runtime.undefined();
    }

    private static Object toPlainJava(Object v) {
        if (v instanceof JsThenable t) {
            return t.value;
        }
        if (v instanceof Value value) {
            if (value.isNull()) {
                return null;
            }
            if (value.isString()) {
                return value.asString();
            }
            if (value.isBoolean()) {
                return value.asBoolean();
            }
            if (value.isNumber()) {
                if (value.fitsInInt()) {
                    return value.asInt();
                }
                if (value.fitsInLong()) {
                    return value.asLong();
                }
                return value.asDouble();
            }
        }
        return v;
    }

    /** What a Java promise is resolved with, for a JavaScript value (Promises/A+ 2.3). Loop thread. */
    Object resolution(Value v) {
        if (v.isHostObject()) {
            return v.asHostObject();
        }
        if (!v.isNull() && v.hasMembers()) {
            Value handle = runtime.unwrapJavaPromise(v);
            if (handle.isProxyObject() && handle.asProxyObject() instanceof JavaThenable t) {
                return t.promise;
            }
            return new JsThenable(v);
        }
        return v;
    }

    /** A JavaScript rejection value as a Java reason. */
    Throwable reason(Value v) {
        if (v.isHostObject() && v.asHostObject() instanceof Throwable t) {
            return t;
        }
        return new JsException(v, runtime.describe(v));
    }

    /** A Java value as JavaScript sees it. */
    Object toJsValue(Object o) {
        if (o instanceof JsThenable t) {
            return t.value;
        }
        if (o instanceof Promise<?> p) {
            return runtime.wrapJavaPromise(new JavaThenable(p));
        }
        return o;
    }

    /**
     * A Java reason as JavaScript sees it: the carried JavaScript value, a {@code TypeError} for a promise resolved
     * with itself (as JavaScript's own promises reject), else the Java throwable as a host object.
     */
    Object reasonToJs(Throwable t) {
        if (t instanceof JsException e) {
            return e.value();
        }
        if (t instanceof ChainingCycleException) {
            return runtime.newTypeError(t.getMessage());
        }
        return t;
    }

    /**
     * Calls a JavaScript function from a Java promise reaction and returns what resolves the derived promise, or
     * throws what rejects it.
     */
    private Object call(Value fn, Object arg) throws Throwable {
        Value result = runtime.invoke(fn, arg);
        if (result.getArrayElement(0).asBoolean()) {
            return resolution(result.getArrayElement(1));
        }
        throw reason(result.getArrayElement(1));
    }

    /** The Java side of a Java promise seen from JavaScript (wrapped in a plain JS object by the prelude). */
    final class JavaThenable implements ProxyObject {
        final Promise<?> promise;

        JavaThenable(Promise<?> promise) {
            this.promise = promise;
        }

        private Object then(Value[] args) {
            Value onFulfilled = arg(args, 0);
            Value onRejected = arg(args, 1);
            Promise.Handler<Object, Object> f = onFulfilled.canExecute() ? v -> call(onFulfilled, toJsValue(v)) : null;
            Promise.Handler<Throwable, Object> r = onRejected.canExecute() ? e -> call(onRejected, reasonToJs(e)) : null;
            @SuppressWarnings("unchecked")
            Promise<Object> p = (Promise<Object>) promise;
            return runtime.wrapJavaPromise(new JavaThenable(p.then(f, r)));
        }

        @Override
        public Object getMember(String key) {
            return "then".equals(key) ? (ProxyExecutable) this::then : null;
        }

        @Override
        public Object getMemberKeys() {
            return new String[] {"then"};
        }

        @Override
        public boolean hasMember(String key) {
            return "then".equals(key);
        }

        @Override
        public void putMember(String key, Value value) {
            throw new UnsupportedOperationException("a Java promise's JavaScript view is read-only");
        }
    }

    /** A JavaScript object a Java promise is resolved with: {@code then} is looked up once (Promises/A+ 2.3.3.1). */
    final class JsThenable implements ThenableLookup {
        final Value value;

        JsThenable(Value value) {
            this.value = value;
        }

        @Override
        public Thenable lookupThen() throws Throwable {
            Value got = runtime.invoke(runtime.getMemberFn(), value, "then");
            if (!got.getArrayElement(0).asBoolean()) {
                throw reason(got.getArrayElement(1));
            }
            Value then = got.getArrayElement(1);
            if (!then.canExecute()) {
                return null;
            }
            return (resolve, reject) -> {
                ProxyExecutable res = a -> {
                    resolve.accept(resolution(arg(a, 0)));
                    return null;
                };
                ProxyExecutable rej = a -> {
                    reject.accept(reason(arg(a, 0)));
                    return null;
                };
                Value r = runtime.invoke(runtime.callWithThisFn(), then, value, res, rej);
                if (!r.getArrayElement(0).asBoolean()) {
                    throw reason(r.getArrayElement(1));
                }
            };
        }
    }
}

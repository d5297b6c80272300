package org.eventloop4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A JavaScript promise bound to an {@link EventLoop}: it settles once, and its reactions always run as microtasks on
 * its loop, in the order they were registered, even when the promise has already settled.
 *
 * <pre>{@code
 * EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
 * Promise.promisify(loop, () -> Files.readString(path))        // blocking work off the loop
 *        .then(text -> text.length())                          // on the loop, as a microtask
 *        .catchError(e -> -1)
 *        .finallyDo(() -> System.out.println("done"));
 * loop.run();
 * }</pre>
 *
 * <h2>Mapping from JavaScript</h2>
 * <table>
 * <caption>JavaScript names and their Java counterparts</caption>
 * <tr><th>JavaScript</th><th>Java</th></tr>
 * <tr><td>{@code new Promise((resolve, reject) => ...)}</td><td>{@link #create(EventLoop, PromiseExecutor)}</td></tr>
 * <tr><td>{@code Promise.withResolvers()}</td><td>{@link #withResolvers(EventLoop)}</td></tr>
 * <tr><td>{@code Promise.resolve(x)} / {@code Promise.reject(e)}</td>
 *     <td>{@link #resolve(EventLoop, Object)} / {@link #reject(EventLoop, Throwable)}</td></tr>
 * <tr><td>{@code Promise.try(f)}</td><td>{@link #attempt(EventLoop, Producer)} ({@code try} is a Java keyword)</td></tr>
 * <tr><td>{@code p.then(f, g)}</td><td>{@link #then(Handler, Handler)}</td></tr>
 * <tr><td>{@code p.catch(g)}</td><td>{@link #catchError(Handler)} ({@code catch} is a Java keyword)</td></tr>
 * <tr><td>{@code p.finally(f)}</td><td>{@link #finallyDo(Action)} / {@link #finallyDo(Producer)}</td></tr>
 * <tr><td>{@code Promise.all/allSettled/race/any}</td><td>{@link #all}, {@link #allSettled}, {@link #race},
 *     {@link #any}</td></tr>
 * <tr><td>{@code AggregateError}</td><td>{@link AggregateException}</td></tr>
 * <tr><td>a rejection value</td><td>a {@link Throwable}, passed along by identity, never wrapped</td></tr>
 * </table>
 *
 * <h2>Resolution</h2>
 * Resolving a promise follows Promises/A+ 2.3 and ECMAScript's promise resolve functions: resolving with the promise
 * itself rejects with {@link ChainingCycleException}; resolving with another {@code Promise} (of any loop), a
 * {@link Thenable} or a {@link ThenableLookup} that finds a {@code then} adopts its outcome through a job (a microtask,
 * as ECMAScript's NewPromiseResolveThenableJob), so resolution costs the same number of microtask ticks as in
 * JavaScript; anything else fulfils. A handler that throws rejects the derived promise with what it threw.
 *
 * <h2>Threads</h2>
 * Resolving, rejecting and registering reactions are safe from any thread. On the loop thread they act directly;
 * from another thread they are handed to the loop as a task, so the promise's {@link #state()} changes only when
 * the loop runs that task. The first call to resolve or reject wins, decided at the call with a CAS, whichever thread
 * it comes from. A promise whose loop has terminated runs no more reactions.
 *
 * <h2>Unhandled rejections</h2>
 * A promise rejected with no reaction registered by the end of the microtask checkpoint is reported once to the
 * handler set with {@link #onUnhandledRejection(EventLoop, UnhandledRejectionHandler)} (default: logged); a reaction
 * registered later reports it to {@link #onRejectionHandled(EventLoop, RejectionHandledHandler)}. Registering any
 * reaction ({@code then}, {@code catchError}, {@code finallyDo}, {@link #toCompletableFuture()}, a combinator, or
 * resolving another promise with this one) handles it. {@code then(f)} does not handle on behalf of the promise it
 * returns: that promise carries its own report.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 * <li>{@code state} is volatile and written only on the loop thread, or, once the loop has terminated and refuses
 * hand-offs, by the thread whose hand-off was refused ({@code settleDead}). Either way a promise has exactly one
 * settler: its own resolving functions (serialised by the {@code resolved} CAS) or the single internal reaction or
 * job that owns a derived promise. {@code result} is written before {@code state}'s release store, so a reader that
 * sees a settled state sees the result.</li>
 * <li>{@code resolved} is the promise's own "already resolved" flag, CAS'd by its public resolving functions
 * ({@link Resolvers}, the executor's callbacks) from any thread: the first wins. Internal resolution of a derived
 * promise happens exactly once on the loop thread and needs no CAS.</li>
 * <li>The reaction list ({@code head}, {@code tail}) and {@code flags} (unhandled-rejection tracking) are loop-owned
 * plain fields. Registering from another thread hands the registration to the loop, so the list never sees two
 * threads; there are no locks.</li>
 * <li>{@code then} allocates two objects: the derived promise and one {@code Reaction}, which is a list node before
 * settlement and the queued microtask after it.</li>
 * </ul>
 *
 * @param <T> the type of the fulfilment value
 */
public final class Promise<T> {

    /** The state of a promise. */
    public enum State {
        /** Not settled yet (it may already be locked in to another promise or thenable). */
        PENDING,
        /** Settled with a value. */
        FULFILLED,
        /** Settled with a reason. */
        REJECTED
    }

    static final int PENDING = 0;
    static final int FULFILLED = 1;
    static final int REJECTED = 2;

    /** {@code flags}: a reaction has been registered. */
    static final int HANDLED = 1;
    /** {@code flags}: reported as unhandled; a later reaction reports it handled. */
    static final int REPORTED = 4;

    private static final VarHandle STATE;
    private static final VarHandle RESOLVED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Promise.class, "state", int.class);
            RESOLVED = l.findVarHandle(Promise.class, "resolved", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    private volatile int state;
    private Object result;
    private volatile int resolved;
    private Reaction head;
    private Reaction tail;
    int flags;

    Promise(EventLoop loop) {
        this.loop = loop;
    }

    // =================================================================== functional interfaces

    /**
     * A reaction handler: receives a value or a reason, returns the derived promise's resolution (a value, a
     * {@code Promise} or a thenable to adopt), or throws to reject it.
     *
     * @param <A> what it receives
     * @param <R> what it returns
     */
    @FunctionalInterface
    public interface Handler<A, R> {
        /**
         * @param argument the value (for fulfilment handlers) or the reason (for rejection handlers)
         * @return the resolution of the derived promise
         * @throws Throwable to reject the derived promise with exactly this throwable
         */
        R apply(A argument) throws Throwable;
    }

    /** A callback with no argument and no result that may throw ({@link #finallyDo(Action)}). */
    @FunctionalInterface
    public interface Action {
        /** @throws Throwable to reject the derived promise */
        void run() throws Throwable;
    }

    /**
     * A callback with no argument that returns a value, a promise or a thenable, or throws.
     *
     * @param <R> what it returns
     */
    @FunctionalInterface
    public interface Producer<R> {
        /**
         * @return the result
         * @throws Throwable to reject
         */
        R get() throws Throwable;
    }

    /**
     * The promise together with its resolving functions, as {@code Promise.withResolvers()} returns them. Both
     * functions may be called from any thread; the first call to either wins and later calls are ignored.
     *
     * @param <T> the type of the fulfilment value
     */
    public static final class Resolvers<T> {
        private final Promise<T> promise;

        Resolvers(Promise<T> promise) {
            this.promise = promise;
        }

        /** @return the promise these functions settle */
        public Promise<T> promise() {
            return promise;
        }

        /**
         * Resolves the promise: fulfils it with {@code value}, or adopts it if it is a {@code Promise} or thenable.
         *
         * @param value a value, a {@code Promise}, a {@link Thenable} or a {@link ThenableLookup}
         * @return whether this call resolved the promise (false if it had already been resolved or rejected)
         */
        public boolean resolve(Object value) {
            if (!promise.claim()) {
                return false;
            }
            promise.resolveAnyThread(value);
            return true;
        }

        /**
         * Rejects the promise with {@code reason}, unchanged.
         *
         * @param reason the reason, not null
         * @return whether this call rejected the promise (false if it had already been resolved or rejected)
         * @throws NullPointerException if {@code reason} is null
         */
        public boolean reject(Throwable reason) {
            Objects.requireNonNull(reason, "a promise's rejection reason must not be null");
            if (!promise.claim()) {
                return false;
            }
            promise.rejectAnyThread(reason);
            return true;
        }

        @Override
        public String toString() {
            return "Resolvers[" + promise + "]";
        }
    }

    // =================================================================== creation

    /**
     * A pending promise and the functions that settle it (JS {@code Promise.withResolvers()}).
     *
     * @param loop the loop the promise's reactions run on
     * @param <T> the type of the fulfilment value
     * @return the promise and its resolving functions
     */
    public static <T> Resolvers<T> withResolvers(EventLoop loop) {
        return new Resolvers<>(new Promise<>(requireLoop(loop)));
    }

    /**
     * JS {@code new Promise(executor)}: runs {@code executor} synchronously on the calling thread with the promise's
     * resolving functions; if it throws before either was called, the promise rejects with what it threw.
     *
     * @param loop the loop the promise's reactions run on
     * @param executor receives {@code resolve} and {@code reject}, which may be called from any thread, once
     * @param <T> the type of the fulfilment value
     * @return the promise
     */
    public static <T> Promise<T> create(EventLoop loop, PromiseExecutor<T> executor) {
        Objects.requireNonNull(executor, "executor");
        Promise<T> p = new Promise<>(requireLoop(loop));
        Resolvers<T> r = new Resolvers<>(p);
        Consumer<Object> resolve = r::resolve;
        Consumer<Throwable> reject = reason -> r.reject(nonNullReason(reason));
        try {
            executor.execute(resolve, reject);
        } catch (Throwable e) {
            r.reject(e);
        }
        return p;
    }

    /**
     * JS {@code Promise.resolve(x)}: {@code x} itself if it is a promise of this loop, otherwise a new promise
     * resolved with {@code x} (fulfilled with a plain value; adopting a promise of another loop or a thenable).
     *
     * @param loop the loop the promise's reactions run on
     * @param value a value, a {@code Promise}, a {@link Thenable} or a {@link ThenableLookup}
     * @param <T> the type of the fulfilment value
     * @return a promise
     */
    public static <T> Promise<T> resolve(EventLoop loop, T value) {
        return resolveAny(requireLoop(loop), value);
    }

    /**
     * JS {@code Promise.resolve(p)} for a promise: {@code p} itself if it belongs to {@code loop}, otherwise a promise
     * of {@code loop} that adopts it.
     *
     * @param loop the loop the promise's reactions run on
     * @param promise the promise
     * @param <T> the type of the fulfilment value
     * @return a promise of {@code loop} with {@code promise}'s outcome
     */
    public static <T> Promise<T> resolve(EventLoop loop, Promise<T> promise) {
        return resolveAny(requireLoop(loop), promise);
    }

    @SuppressWarnings("unchecked")
    static <T> Promise<T> resolveAny(EventLoop loop, Object value) {
        if (value instanceof Promise && ((Promise<?>) value).loop == loop) {
            return (Promise<T>) value;
        }
        Promise<T> p = new Promise<>(loop);
        p.resolved = 1;
        p.resolveAnyThread(value);
        return p;
    }

    /**
     * JS {@code Promise.reject(e)}: a promise rejected with {@code reason}.
     *
     * @param loop the loop the promise's reactions run on
     * @param reason the reason, not null
     * @param <T> the type of the fulfilment value
     * @return a rejected promise (from another thread: rejected once the loop runs the hand-off)
     */
    public static <T> Promise<T> reject(EventLoop loop, Throwable reason) {
        Objects.requireNonNull(reason, "a promise's rejection reason must not be null");
        Promise<T> p = new Promise<>(requireLoop(loop));
        p.resolved = 1;
        p.rejectAnyThread(reason);
        return p;
    }

    /**
     * JS {@code Promise.try(f)} ({@code try} is a Java keyword): calls {@code fn} synchronously and returns a promise
     * resolved with its result (adopting a returned promise or thenable), or rejected with what it threw.
     *
     * @param loop the loop the promise's reactions run on
     * @param fn the function
     * @param <T> the type of the fulfilment value
     * @return the promise
     */
    public static <T> Promise<T> attempt(EventLoop loop, Producer<? extends T> fn) {
        Objects.requireNonNull(fn, "fn");
        Promise<T> p = new Promise<>(requireLoop(loop));
        p.resolved = 1;
        Object x;
        try {
            x = fn.get();
        } catch (Throwable e) {
            p.rejectAnyThread(e);
            return p;
        }
        p.resolveAnyThread(x);
        return p;
    }

    /**
     * A promise fulfilled with {@code null} after {@code millis} (a loop timer, coerced by its
     * {@link DelayPolicy}). The timer keeps the loop alive.
     *
     * @param loop the loop
     * @param millis the delay
     * @return the promise
     */
    public static Promise<Void> delay(EventLoop loop, long millis) {
        return delay(loop, millis, null);
    }

    /**
     * Like {@link #delay(EventLoop, long)}, cancellable: aborting {@code signal} clears the timer and rejects the
     * promise with the signal's reason; an already aborted signal gives an already rejected promise.
     *
     * @param loop the loop
     * @param millis the delay
     * @param signal cancels the delay; may be null
     * @return the promise; rejected with a {@link RejectedExecutionException} if the loop is shutting down
     */
    public static Promise<Void> delay(EventLoop loop, long millis, AbortSignal signal) {
        requireLoop(loop);
        if (signal != null && signal.aborted()) {
            return reject(loop, signal.reason());
        }
        DelayOp op = new DelayOp(new Promise<>(loop), signal);
        try {
            op.timerId = loop.setTimeout(op, millis);
        } catch (RejectedExecutionException e) {
            op.promise.resolved = 1;
            op.promise.rejectAnyThread(e);
            return op.promise;
        }
        if (signal != null) {
            signal.addAlgorithm(op.onAbort);
            if (op.promise.isClaimed()) {
                signal.removeAlgorithm(op.onAbort);    // fired (or aborted) before the step was added
            }
        }
        return op.promise;
    }

    /** A {@link #delay} in flight: the timer task, plus the abort algorithm. */
    private static final class DelayOp implements Runnable {
        final Promise<Void> promise;
        final AbortSignal signal;
        final Runnable onAbort;
        volatile long timerId;

        DelayOp(Promise<Void> promise, AbortSignal signal) {
            this.promise = promise;
            this.signal = signal;
            this.onAbort = signal == null ? null : this::abort;
        }

        @Override
        public void run() {
            if (signal != null) {
                signal.removeAlgorithm(onAbort);
            }
            if (promise.claim()) {
                promise.resolveAnyThread(null);
            }
        }

        private void abort() {
            promise.loop.clearTimeout(timerId);
            if (promise.claim()) {
                promise.rejectAnyThread(signal.reason());
            }
        }
    }

    /**
     * A promise settled like {@code promise}, or rejected with an {@link OperationTimeoutException} if
     * {@code promise} has not settled after {@code millis}. The timer is cleared when {@code promise} settles.
     *
     * @param promise the promise to wait for (it counts as handled)
     * @param millis how long to wait
     * @param <T> the type of the fulfilment value
     * @return the promise
     */
    public static <T> Promise<T> timeout(Promise<T> promise, long millis) {
        Objects.requireNonNull(promise, "promise");
        TimeoutReaction<T> r = new TimeoutReaction<>(promise, new Promise<>(promise.loop), millis);
        try {
            r.timerId = promise.loop.setTimeout(r::timedOut, millis);
        } catch (RejectedExecutionException e) {
            r.out.resolved = 1;
            r.out.rejectAnyThread(e);
            return r.out;
        }
        promise.addReaction(r);
        return r.out;
    }

    private static final class TimeoutReaction<T> extends Reaction {
        final Promise<T> out;
        final long millis;
        volatile long timerId;

        TimeoutReaction(Promise<T> source, Promise<T> out, long millis) {
            super(source);
            this.out = out;
            this.millis = millis;
        }

        @Override
        public void run() {
            out.loop.clearTimeout(timerId);
            if (out.claim()) {
                settleLike(source, out);
            }
        }

        void timedOut() {
            if (out.claim()) {
                out.rejectAnyThread(new OperationTimeoutException("the promise did not settle within " + millis
                        + " ms"));
            }
        }
    }

    // =================================================================== off-loop work and interop

    /**
     * Runs blocking {@code work} off the loop (on virtual threads on Java 21+, a bounded pool on Java 17; one
     * executor per loop) and settles the returned promise with its result on the loop. The loop stays alive and a
     * graceful {@link EventLoop#shutdown()} waits until the work is done; {@link EventLoop#close()} rejects the
     * promise with {@link LoopTerminatedException} and interrupts the worker.
     *
     * @param loop the loop to settle on
     * @param work the blocking work
     * @param <T> the type of the result
     * @return a promise of the result, or rejected with what {@code work} threw
     */
    public static <T> Promise<T> promisify(EventLoop loop, Callable<? extends T> work) {
        return promisify(loop, work, null);
    }

    /**
     * Like {@link #promisify(EventLoop, Callable)}, cancellable: aborting {@code signal} interrupts the worker and
     * rejects the promise with the signal's reason at once (what the work returns afterwards is ignored).
     *
     * @param loop the loop to settle on
     * @param work the blocking work
     * @param signal cancels the work; may be null
     * @param <T> the type of the result
     * @return a promise of the result
     */
    public static <T> Promise<T> promisify(EventLoop loop, Callable<? extends T> work, AbortSignal signal) {
        Objects.requireNonNull(work, "work");
        PromiseHost host = PromiseHost.of(requireLoop(loop));
        return host.offLoopWork().submit(work, signal);
    }

    /**
     * A promise of {@code loop} settled like {@code stage}. A stage completed on another thread settles the promise
     * on the loop; until it completes, the loop is kept alive (as {@link EventLoop#keepAlive()}). A
     * {@link CompletionException} with a cause is unwrapped to that cause.
     *
     * @param loop the loop the promise's reactions run on
     * @param stage the stage
     * @param <T> the type of the value
     * @return the promise
     */
    public static <T> Promise<T> from(EventLoop loop, CompletionStage<? extends T> stage) {
        Objects.requireNonNull(stage, "stage");
        Promise<T> p = new Promise<>(requireLoop(loop));
        p.resolved = 1;
        KeepAlive hold = loop.keepAlive();
        stage.whenComplete((value, error) -> {
            // settle first, then release the hold: the hand-off task keeps the loop alive in between
            try {
                if (error != null) {
                    Throwable reason = error;
                    if (reason instanceof CompletionException && reason.getCause() != null) {
                        reason = reason.getCause();
                    }
                    p.rejectAnyThread(reason);
                } else {
                    p.resolveAnyThread(value);
                }
            } finally {
                hold.close();
            }
        });
        return p;
    }

    /**
     * A new {@link CompletableFuture} completed, on the loop thread, like this promise: normally with the value, or
     * exceptionally with the reason itself. Completing the future by hand does not affect the promise. Counts as
     * handling this promise. If the loop terminates first (no reaction runs after that), the future completes at
     * termination: like the promise if it has settled by then (for example rejected by {@code close()}), otherwise
     * exceptionally with a {@link LoopTerminatedException}.
     *
     * @return the future
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> f = new CompletableFuture<>();
        FutureBridge<T> bridge = new FutureBridge<>(this, f);
        PromiseHost.of(loop).track(bridge);
        addReaction(bridge);
        return f;
    }

    /** The reaction behind {@link #toCompletableFuture()}; tracked by the loop's host until it runs. */
    static final class FutureBridge<T> extends Reaction {
        private static final AtomicLong SEQS = new AtomicLong();
        /** Orders bridges in the host's lock-free set. */
        final long seq = SEQS.incrementAndGet();
        private final CompletableFuture<T> future;

        FutureBridge(Promise<?> source, CompletableFuture<T> future) {
            super(source);
            this.future = future;
        }

        @Override
        public void run() {
            PromiseHost.of(source.loop).untrack(this);
            completeLikeSource();
        }

        @SuppressWarnings("unchecked")
        private void completeLikeSource() {
            if (source.state == FULFILLED) {
                future.complete((T) source.result);
            } else {
                future.completeExceptionally((Throwable) source.result);
            }
        }

        /** The loop terminated before this reaction could run; any thread. */
        void completeAtTermination() {
            if (source.state != PENDING) {
                completeLikeSource();
            } else {
                future.completeExceptionally(new LoopTerminatedException("the event loop " + source.loop
                        + " terminated before the promise settled"));
            }
        }
    }

    // =================================================================== unhandled rejections

    /**
     * Sets the handler told about promises of {@code loop} rejected with no reaction by the end of a microtask
     * checkpoint (Node's {@code unhandledRejection}). Called on the loop thread, once per promise; if it throws,
     * that goes to the loop's uncaught-exception handler. Any thread.
     *
     * @param loop the loop
     * @param handler the handler, or null for the default, which logs the reason with its stack trace through
     *     {@link System.Logger} (logger {@code org.eventloop4j.promise}, level ERROR)
     */
    public static void onUnhandledRejection(EventLoop loop, UnhandledRejectionHandler handler) {
        PromiseHost.of(requireLoop(loop)).rejections().unhandledHandler = handler;
    }

    /**
     * Sets the handler told when a promise already reported as unhandled gets a reaction (Node's
     * {@code rejectionHandled}). Called on the loop thread at the end of a checkpoint. Any thread.
     *
     * @param loop the loop
     * @param handler the handler, or null for the default, which logs at WARNING
     */
    public static void onRejectionHandled(EventLoop loop, RejectionHandledHandler handler) {
        PromiseHost.of(requireLoop(loop)).rejections().handledHandler = handler;
    }

    // =================================================================== combinators

    /**
     * JS {@code Promise.all}: fulfils with the values of all inputs, in input order, once all have fulfilled;
     * rejects with the first rejection's reason. An empty input fulfils with an empty list. Each input goes through
     * {@link #resolve(EventLoop, Object)}, so plain values, promises (of any loop) and thenables mix freely.
     *
     * @param loop the loop of the returned promise
     * @param values the inputs
     * @param <T> the type of the values
     * @return a promise of an unmodifiable list (which may hold nulls)
     */
    public static <T> Promise<List<T>> all(EventLoop loop, Iterable<?> values) {
        return Combinator.start(requireLoop(loop), values, Combinator.ALL);
    }

    /**
     * JS {@code Promise.allSettled}: fulfils, once every input has settled, with one {@link Settled} per input in
     * input order. Never rejects (unless iterating {@code values} throws). An empty input fulfils with an empty list.
     *
     * @param loop the loop of the returned promise
     * @param values the inputs
     * @param <T> the type of the values
     * @return a promise of an unmodifiable list of outcomes
     */
    public static <T> Promise<List<Settled<T>>> allSettled(EventLoop loop, Iterable<?> values) {
        return Combinator.start(requireLoop(loop), values, Combinator.ALL_SETTLED);
    }

    /**
     * JS {@code Promise.race}: settles like the first input to settle. An empty input stays pending forever.
     *
     * @param loop the loop of the returned promise
     * @param values the inputs
     * @param <T> the type of the values
     * @return the promise
     */
    public static <T> Promise<T> race(EventLoop loop, Iterable<?> values) {
        return Combinator.start(requireLoop(loop), values, Combinator.RACE);
    }

    /**
     * JS {@code Promise.any}: fulfils like the first input to fulfil; if all reject, rejects with an
     * {@link AggregateException} holding every reason in input order. An empty input rejects with an
     * {@code AggregateException} with no reasons.
     *
     * @param loop the loop of the returned promise
     * @param values the inputs
     * @param <T> the type of the values
     * @return the promise
     */
    public static <T> Promise<T> any(EventLoop loop, Iterable<?> values) {
        return Combinator.start(requireLoop(loop), values, Combinator.ANY);
    }

    // =================================================================== reactions

    /**
     * JS {@code p.then(onFulfilled)}: a rejection passes through to the derived promise unchanged.
     *
     * @param onFulfilled called with the value; its result resolves the derived promise (a returned promise or
     *     thenable is adopted), what it throws rejects it; null passes the value through
     * @param <R> the type of the derived value
     * @return the derived promise
     */
    public <R> Promise<R> then(Handler<? super T, ? extends R> onFulfilled) {
        return then(onFulfilled, null);
    }

    /**
     * JS {@code p.then(onFulfilled, onRejected)}. The handler runs as a microtask on the loop once this promise has
     * settled, after reactions registered before it.
     *
     * @param onFulfilled called with the value; null passes the value through
     * @param onRejected called with the reason; null passes the rejection through
     * @param <R> the type of the derived value
     * @return the derived promise, resolved with the handler's result or rejected with what it threw
     */
    public <R> Promise<R> then(Handler<? super T, ? extends R> onFulfilled,
                               Handler<? super Throwable, ? extends R> onRejected) {
        Promise<R> derived = new Promise<>(loop);
        addReaction(new ThenReaction(this, derived, onFulfilled, onRejected));
        return derived;
    }

    /**
     * {@link #then(Handler)} for a handler that returns a promise, typed as the promise it adopts.
     *
     * @param onFulfilled returns a promise (or null for a null value) the derived promise adopts
     * @param <R> the type of the adopted promise's value
     * @return the derived promise
     */
    public <R> Promise<R> thenCompose(Handler<? super T, ? extends Promise<? extends R>> onFulfilled) {
        Objects.requireNonNull(onFulfilled, "onFulfilled");
        Promise<R> derived = new Promise<>(loop);
        addReaction(new ThenReaction(this, derived, onFulfilled, null));
        return derived;
    }

    /**
     * JS {@code p.catch(onRejected)} ({@code catch} is a Java keyword): {@code then(null, onRejected)}.
     *
     * @param onRejected called with the reason; its result resolves the derived promise
     * @return the derived promise: this promise's value, or the handler's result
     */
    public Promise<T> catchError(Handler<? super Throwable, ? extends T> onRejected) {
        return then(null, onRejected);
    }

    /**
     * JS {@code p.finally(onFinally)}: runs {@code onFinally} on either outcome, then passes the value or the reason
     * through, unless {@code onFinally} throws (then that wins).
     *
     * @param onFinally the callback
     * @return the derived promise
     */
    public Promise<T> finallyDo(Action onFinally) {
        Objects.requireNonNull(onFinally, "onFinally");
        return finallyDo(() -> {
            onFinally.run();
            return null;
        });
    }

    /**
     * JS {@code p.finally(onFinally)} with a callback that may return a promise or thenable: the derived promise waits
     * for it; if it rejects (or the callback throws), that reason wins, otherwise this promise's value or reason
     * passes through unchanged. Any other return value is ignored.
     *
     * @param onFinally the callback
     * @return the derived promise
     */
    public Promise<T> finallyDo(Producer<?> onFinally) {
        Objects.requireNonNull(onFinally, "onFinally");
        Promise<T> derived = new Promise<>(loop);
        addReaction(new FinallyReaction(this, derived, onFinally));
        return derived;
    }

    // =================================================================== inspection

    /** @return the state; from another thread, a snapshot */
    public State state() {
        switch (state) {
            case FULFILLED:
                return State.FULFILLED;
            case REJECTED:
                return State.REJECTED;
            default:
                return State.PENDING;
        }
    }

    /**
     * @return the value
     * @throws IllegalStateException unless the promise is {@link State#FULFILLED}
     */
    @SuppressWarnings("unchecked")
    public T value() {
        if (state != FULFILLED) {
            throw new IllegalStateException("value() needs a fulfilled promise, but it is " + state());
        }
        return (T) result;
    }

    /**
     * @return the reason
     * @throws IllegalStateException unless the promise is {@link State#REJECTED}
     */
    public Throwable reason() {
        if (state != REJECTED) {
            throw new IllegalStateException("reason() needs a rejected promise, but it is " + state());
        }
        return (Throwable) result;
    }

    /** @return the loop this promise's reactions run on */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        int s = state;
        return s == FULFILLED ? "Promise[fulfilled: " + result + "]"
                : s == REJECTED ? "Promise[rejected: " + result + "]" : "Promise[pending]";
    }

    // =================================================================== internals: settlement

    static EventLoop requireLoop(EventLoop loop) {
        return Objects.requireNonNull(loop, "loop");
    }

    static Throwable nonNullReason(Throwable reason) {
        return reason != null ? reason : new NullPointerException("a promise was rejected with a null reason");
    }

    /** The promise's own "already resolved" flag; any thread; true for the one caller that may settle it. */
    boolean claim() {
        return resolved == 0 && RESOLVED.compareAndSet(this, 0, 1);
    }

    boolean isClaimed() {
        return resolved != 0;
    }

    void resolveAnyThread(Object x) {
        if (loop.inLoop()) {
            resolveOnLoop(x);
        } else if (!loop.submitInternal(() -> resolveOnLoop(x))) {
            if (!(x instanceof Promise || x instanceof Thenable || x instanceof ThenableLookup)) {
                settleDead(FULFILLED, x);
            }
        }
    }

    void rejectAnyThread(Throwable reason) {
        if (loop.inLoop()) {
            rejectOnLoop(reason);
        } else if (!loop.submitInternal(() -> rejectOnLoop(reason))) {
            settleDead(REJECTED, reason);
        }
    }

    /** The loop has terminated: record the outcome for inspection; no reaction will run. */
    private void settleDead(int s, Object r) {
        if (state == PENDING) {
            result = r;
            STATE.setRelease(this, s);
            head = null;
            tail = null;
        }
    }

    /** The promise resolve function's steps (ECMAScript 27.2.1.3.2, Promises/A+ 2.3); loop thread. */
    void resolveOnLoop(Object x) {
        if (x == this) {
            rejectOnLoop(new ChainingCycleException());
            return;
        }
        if (x instanceof Promise) {
            loop.enqueueMicrotask(new AdoptReaction((Promise<?>) x, this));
            return;
        }
        Thenable then;
        if (x instanceof ThenableLookup) {
            try {
                then = ((ThenableLookup) x).lookupThen();       // Get(x, "then"), exactly once
            } catch (Throwable e) {
                rejectOnLoop(e);
                return;
            }
        } else if (x instanceof Thenable) {
            then = (Thenable) x;
        } else {
            then = null;
        }
        if (then == null) {
            fulfillOnLoop(x);
        } else {
            loop.enqueueMicrotask(new ThenableJob(this, then));
        }
    }

    void fulfillOnLoop(Object value) {
        if ((int) STATE.get(this) != PENDING) {
            return;
        }
        result = value;
        STATE.setRelease(this, FULFILLED);
        triggerReactions();
    }

    void rejectOnLoop(Throwable reason) {
        if ((int) STATE.get(this) != PENDING) {
            return;
        }
        result = reason;
        STATE.setRelease(this, REJECTED);
        triggerReactions();
        if ((flags & HANDLED) == 0) {
            PromiseHost.of(loop).rejections().rejectedUnhandled(this);
        }
    }

    private void triggerReactions() {
        Reaction r = head;
        head = null;
        tail = null;
        while (r != null) {
            Reaction next = r.next;
            r.next = null;
            loop.enqueueMicrotask(r);
            r = next;
        }
    }

    /** Registers a reaction; any thread (handed to the loop from another thread). */
    void addReaction(Reaction r) {
        if (loop.inLoop()) {
            addReactionOnLoop(r);
        } else {
            loop.submitInternal(() -> addReactionOnLoop(r));
        }
    }

    void addReactionOnLoop(Reaction r) {
        int s = (int) STATE.get(this);
        if (s == PENDING) {
            if (tail == null) {
                head = r;
            } else {
                tail.next = r;
            }
            tail = r;
        } else {
            loop.enqueueMicrotask(r);
        }
        int f = flags;
        if ((f & HANDLED) == 0) {
            flags = f | HANDLED;
            if (s == REJECTED && (f & REPORTED) != 0) {
                PromiseHost.of(loop).rejections().handledLater(this);
            }
        }
    }

    /** Settles {@code out} (claimed by the caller) like the settled {@code source}. */
    static void settleLike(Promise<?> source, Promise<?> out) {
        if (source.state == FULFILLED) {
            out.resolveAnyThread(source.result);
        } else {
            out.rejectAnyThread((Throwable) source.result);
        }
    }

    // =================================================================== internals: reactions and jobs

    /**
     * A reaction: a node of the pending promise's reaction list, then the microtask queued when it settles. The
     * microtask reads the outcome from {@code source}, which is settled by then.
     */
    abstract static class Reaction implements Runnable {
        final Promise<?> source;
        Reaction next;

        Reaction(Promise<?> source) {
            this.source = source;
        }
    }

    /** {@code then}: the one object per reaction besides the derived promise. */
    private static final class ThenReaction extends Reaction {
        private final Promise<?> derived;
        private final Handler<Object, ?> onFulfilled;
        private final Handler<Object, ?> onRejected;

        @SuppressWarnings("unchecked")
        ThenReaction(Promise<?> source, Promise<?> derived, Handler<?, ?> onFulfilled, Handler<?, ?> onRejected) {
            super(source);
            this.derived = derived;
            this.onFulfilled = (Handler<Object, ?>) onFulfilled;
            this.onRejected = (Handler<Object, ?>) onRejected;
        }

        @Override
        public void run() {
            Promise<?> s = source;
            Object r = s.result;
            boolean fulfilled = s.state == FULFILLED;
            Handler<Object, ?> h = fulfilled ? onFulfilled : onRejected;
            // reactions run on the source's loop, which is the derived promise's loop: settle directly
            if (h == null) {
                if (fulfilled) {
                    derived.resolveOnLoop(r);
                } else {
                    derived.rejectOnLoop((Throwable) r);
                }
                return;
            }
            Object x;
            try {
                x = h.apply(r);
            } catch (Throwable e) {
                derived.rejectOnLoop(e);
                return;
            }
            derived.resolveOnLoop(x);
        }
    }

    /**
     * Adopting a promise: first queued as the job (NewPromiseResolveThenableJob) that registers this same object on
     * {@code source}, then run again as {@code source}'s reaction, settling {@code target} like it.
     */
    private static final class AdoptReaction extends Reaction {
        private final Promise<?> target;
        private boolean registered;

        AdoptReaction(Promise<?> source, Promise<?> target) {
            super(source);
            this.target = target;
        }

        @Override
        public void run() {
            if (!registered) {
                registered = true;
                source.addReaction(this);
                return;
            }
            if (source.state == FULFILLED) {
                target.resolveAnyThread(source.result);
            } else {
                target.rejectAnyThread((Throwable) source.result);
            }
        }
    }

    /**
     * NewPromiseResolveThenableJob for a foreign thenable: calls its {@code then} with fresh resolving functions
     * (their own "already called" flag, CAS'd: a thenable may call back from any thread). A throw after either
     * function was called is ignored.
     */
    private static final class ThenableJob implements Runnable {
        private static final VarHandle CALLED;

        static {
            try {
                CALLED = MethodHandles.lookup().findVarHandle(ThenableJob.class, "called", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Promise<?> target;
        private final Thenable then;
        private volatile int called;

        ThenableJob(Promise<?> target, Thenable then) {
            this.target = target;
            this.then = then;
        }

        private boolean first() {
            return called == 0 && CALLED.compareAndSet(this, 0, 1);
        }

        @Override
        public void run() {
            Consumer<Object> resolve = x -> {
                if (first()) {
                    target.resolveAnyThread(x);
                }
            };
            Consumer<Throwable> reject = e -> {
                if (first()) {
                    target.rejectAnyThread(nonNullReason(e));
                }
            };
            try {
                then.then(resolve, reject);
            } catch (Throwable e) {
                if (first()) {
                    target.rejectAnyThread(e);
                }
            }
        }
    }

    /**
     * {@code finally}, as ECMAScript's thenFinally/catchFinally: call the callback; resolve its result to a promise
     * {@code p} (as {@code Promise.resolve}) and resolve the derived promise with {@code p.then(() -> outcome)}, so a
     * rejected {@code p} wins and a fulfilled one passes the original value or reason through.
     */
    private static final class FinallyReaction extends Reaction {
        private final Promise<?> derived;
        private final Producer<?> onFinally;

        FinallyReaction(Promise<?> source, Promise<?> derived, Producer<?> onFinally) {
            super(source);
            this.derived = derived;
            this.onFinally = onFinally;
        }

        @Override
        public void run() {
            Object x;
            try {
                x = onFinally.get();
            } catch (Throwable e) {
                derived.rejectAnyThread(e);
                return;
            }
            Promise<?> p = resolveAny(derived.loop, x);
            Object outcome = source.result;
            Promise<Object> after;
            if (source.state == FULFILLED) {
                after = p.then(ignored -> outcome);
            } else {
                after = p.then(ignored -> {
                    throw (Throwable) outcome;
                });
            }
            derived.resolveAnyThread(after);
        }
    }

    /** The combinators' shared state and per-input reaction. Loop-owned once started. */
    private static final class Combinator {
        static final int ALL = 0;
        static final int ALL_SETTLED = 1;
        static final int RACE = 2;
        static final int ANY = 3;

        final int kind;
        final Promise<Object> result;
        final ArrayList<Object> slots = new ArrayList<>();
        int remaining = 1;

        private Combinator(int kind, Promise<Object> result) {
            this.kind = kind;
            this.result = result;
        }

        @SuppressWarnings("unchecked")
        static <R> Promise<R> start(EventLoop loop, Iterable<?> values, int kind) {
            Objects.requireNonNull(values, "values");
            Promise<Object> result = new Promise<>(loop);
            Combinator c = new Combinator(kind, result);
            if (loop.inLoop()) {
                c.iterate(values);
            } else {
                // iterate on the caller (JS iterates synchronously), settle and register on the loop
                List<Object> snapshot = new ArrayList<>();
                try {
                    for (Object v : values) {
                        snapshot.add(v);
                    }
                } catch (Throwable e) {
                    result.resolved = 1;
                    result.rejectAnyThread(e);
                    return (Promise<R>) (Promise<?>) result;
                }
                if (!loop.submitInternal(() -> c.iterate(snapshot))) {
                    result.resolved = 1;
                    result.rejectAnyThread(new LoopTerminatedException("Promise combinator on a terminated loop"));
                }
            }
            return (Promise<R>) (Promise<?>) result;
        }

        void iterate(Iterable<?> values) {
            EventLoop loop = result.loop;
            int index = 0;
            try {
                Iterator<?> it = values.iterator();
                while (it.hasNext()) {
                    Object x = it.next();
                    slots.add(null);
                    remaining++;
                    Promise<?> p = resolveAny(loop, x);
                    p.addReaction(new Element(p, this, index++));
                }
            } catch (Throwable e) {
                if (result.claim()) {
                    result.rejectOnLoop(e);
                }
                return;
            }
            if (--remaining == 0) {
                finish();
            }
        }

        void finish() {
            switch (kind) {
                case ALL:
                case ALL_SETTLED:
                    if (result.claim()) {
                        result.fulfillOnLoop(Collections.unmodifiableList(slots));
                    }
                    break;
                case ANY:
                    if (result.claim()) {
                        List<Throwable> errors = new ArrayList<>(slots.size());
                        for (Object o : slots) {
                            errors.add((Throwable) o);
                        }
                        result.rejectOnLoop(new AggregateException("All promises were rejected", errors));
                    }
                    break;
                default:
                    break;   // race: an empty race stays pending forever
            }
        }

        void settled(Promise<?> p, int index) {
            boolean fulfilled = p.state == FULFILLED;
            Object r = p.result;
            switch (kind) {
                case ALL:
                    if (fulfilled) {
                        slots.set(index, r);
                        if (--remaining == 0) {
                            finish();
                        }
                    } else if (result.claim()) {
                        result.rejectAnyThread((Throwable) r);
                    }
                    break;
                case ALL_SETTLED:
                    slots.set(index, fulfilled ? Settled.fulfilled(r) : Settled.rejected((Throwable) r));
                    if (--remaining == 0) {
                        finish();
                    }
                    break;
                case RACE:
                    if (result.claim()) {
                        settleLike(p, result);
                    }
                    break;
                default: // ANY
                    if (fulfilled) {
                        if (result.claim()) {
                            result.resolveAnyThread(r);
                        }
                    } else {
                        slots.set(index, r);
                        if (--remaining == 0) {
                            finish();
                        }
                    }
                    break;
            }
        }

        /** The reaction registered on one input. Runs on the input's loop; hands over to the result's loop. */
        private static final class Element extends Reaction {
            private final Combinator owner;
            private final int index;

            Element(Promise<?> source, Combinator owner, int index) {
                super(source);
                this.owner = owner;
                this.index = index;
            }

            @Override
            public void run() {
                EventLoop target = owner.result.loop;
                if (target.inLoop()) {
                    owner.settled(source, index);
                } else {
                    target.submitInternal(() -> owner.settled(source, index));
                }
            }
        }
    }
}

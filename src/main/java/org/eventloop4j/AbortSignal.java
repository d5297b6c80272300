package org.eventloop4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * JavaScript's {@code AbortSignal}: tells cancellable operations ({@link Promise#promisify}, {@link Promise#delay},
 * {@link AbortableTimers}) and listeners that an operation was aborted, and why.
 *
 * <h2>Listeners and threads</h2>
 * A listener added with {@link #addListener(Runnable)} runs once, when the signal aborts. If the signal is bound to
 * a loop ({@link AbortController#AbortController(EventLoop)}, {@link #timeout}), listeners run on the loop thread: at
 * once, in registration order, when {@code abort} is called on the loop thread, otherwise as one task handed to the
 * loop (if that loop has terminated, on the aborting thread). An unbound signal runs them on the aborting thread. As
 * in JavaScript, a listener added after the signal aborted is not called. A listener that throws is reported to the
 * loop's {@link UncaughtExceptionHandler} (bound) or logged (unbound); the others still run.
 *
 * <h2>Implementation notes</h2>
 * {@code reason} is set once by a CAS from null: the thread that wins is the one that aborts. Then it claims each
 * listener by removing it from its list ({@link CopyOnWriteArrayList#remove(Object)} is atomic), and runs what it
 * claimed. A concurrent {@code addListener} adds first and then reads {@code reason}: if the signal aborted, it tries
 * to remove its listener again, and whichever thread removes it decides: removed by the aborter, it runs; removed by
 * the adder, it is dropped as added too late. So a listener never runs twice. Internal cancellation steps
 * ("algorithms") follow the same protocol, except that one added after the abort runs at once on the adding thread;
 * they run before listeners, on the aborting thread, and must be thread-safe. They live in a lock-free
 * {@link ConcurrentLinkedQueue} (whose {@code remove(Object)} is an atomic claim too), because operations remove
 * their step when they settle on the loop thread, and settlement takes no locks.
 */
public final class AbortSignal {

    private static final System.Logger LOG = System.getLogger("org.eventloop4j.abort");
    private static final VarHandle REASON;

    static {
        try {
            REASON = MethodHandles.lookup().findVarHandle(AbortSignal.class, "reason", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private volatile Throwable reason;
    private final ConcurrentLinkedQueue<Runnable> algorithms = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    AbortSignal(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * JS {@code AbortSignal.abort(reason)}: a signal that is already aborted.
     *
     * @param reason the reason; null means a new {@link AbortException}
     * @return the aborted signal (not bound to a loop)
     */
    public static AbortSignal abort(Throwable reason) {
        AbortSignal s = new AbortSignal(null);
        s.reason = reason != null ? reason : new AbortException();
        return s;
    }

    /**
     * JS {@code AbortSignal.timeout(ms)}: a signal bound to {@code loop} that aborts after {@code millis} with an
     * {@link OperationTimeoutException} (named "TimeoutError"). As in Node, its timer does not keep the loop alive.
     *
     * @param loop the loop whose timer aborts the signal
     * @param millis the delay
     * @return the signal
     * @throws java.util.concurrent.RejectedExecutionException if the loop is shutting down (no timer can be set)
     */
    public static AbortSignal timeout(EventLoop loop, long millis) {
        AbortSignal s = new AbortSignal(Promise.requireLoop(loop));
        long id = loop.setTimeout(() -> s.signalAbort(new OperationTimeoutException(
                "The operation was aborted due to timeout")), millis);
        loop.unrefTimer(id);
        return s;
    }

    /**
     * JS {@code AbortSignal.any(signals)}: a signal that aborts as soon as any of {@code signals} does, with that
     * signal's reason; already aborted (with the first aborted input's reason) if one of them is. Once it aborts it
     * stops listening to the others. Bound to the inputs' loop if they all share one, otherwise unbound.
     *
     * @param signals the inputs
     * @return the combined signal
     */
    public static AbortSignal any(AbortSignal... signals) {
        Objects.requireNonNull(signals, "signals");
        return any(Arrays.asList(signals));
    }

    /**
     * {@link #any(AbortSignal...)} over a collection.
     *
     * @param signals the inputs
     * @return the combined signal
     */
    public static AbortSignal any(Iterable<AbortSignal> signals) {
        Objects.requireNonNull(signals, "signals");
        List<AbortSignal> inputs = new ArrayList<>();
        EventLoop shared = null;
        boolean first = true;
        for (AbortSignal s : signals) {
            Objects.requireNonNull(s, "signals must not contain null");
            inputs.add(s);
            shared = first ? s.loop : (shared == s.loop ? shared : null);
            first = false;
        }
        AbortSignal result = new AbortSignal(shared);
        for (AbortSignal s : inputs) {
            Throwable r = s.reason;
            if (r != null) {
                result.reason = r;
                return result;
            }
        }
        List<Runnable> hooks = new ArrayList<>(inputs.size());
        for (AbortSignal s : inputs) {
            hooks.add(() -> result.signalAbort(s.reason));
        }
        result.addAlgorithm(() -> {
            for (int i = 0; i < inputs.size(); i++) {
                inputs.get(i).removeAlgorithm(hooks.get(i));
            }
        });
        for (int i = 0; i < inputs.size() && !result.aborted(); i++) {
            inputs.get(i).addAlgorithm(hooks.get(i));
        }
        return result;
    }

    /** @return whether the signal has aborted; any thread */
    public boolean aborted() {
        return reason != null;
    }

    /** @return the abort reason, or null while not aborted */
    public Throwable reason() {
        return reason;
    }

    /** @return the loop listeners run on, or null if unbound */
    public EventLoop loop() {
        return loop;
    }

    /**
     * JS {@code signal.throwIfAborted()}: throws the reason itself if the signal has aborted. A checked reason is
     * thrown unchanged too (undeclared), as JavaScript would.
     */
    public void throwIfAborted() {
        Throwable r = reason;
        if (r != null) {
            throw AbortSignal.<RuntimeException>sneaky(r);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * Adds a listener that runs once when the signal aborts (see the class comment for the thread). Not called if
     * the signal has already aborted. Adding the same listener twice registers it once.
     *
     * @param listener the listener; it can read {@link #reason()}
     */
    public void addListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        if (reason != null) {
            return;
        }
        if (listeners.addIfAbsent(listener) && reason != null) {
            listeners.remove(listener);   // raced with abort: if we removed it, it was added too late
        }
    }

    /**
     * Removes a listener; it will not be called.
     *
     * @param listener the listener
     * @return whether it was registered (false if unknown, or already claimed by an abort)
     */
    public boolean removeListener(Runnable listener) {
        return listeners.remove(listener);
    }

    /** Adds an internal cancellation step; runs it now, on the caller, if the signal has already aborted. */
    void addAlgorithm(Runnable algorithm) {
        algorithms.offer(algorithm);
        if (reason != null && algorithms.remove(algorithm)) {
            algorithm.run();
        }
    }

    void removeAlgorithm(Runnable algorithm) {
        algorithms.remove(algorithm);
    }

    /** @return how many internal steps are registered (tests check they are dropped) */
    int algorithmCount() {
        return algorithms.size();
    }

    /** Aborts: the first call wins; any thread. */
    boolean signalAbort(Throwable why) {
        if (!REASON.compareAndSet(this, null, why)) {
            return false;
        }
        for (Runnable a : algorithms) {
            if (algorithms.remove(a)) {
                try {
                    a.run();
                } catch (Throwable e) {
                    LOG.log(System.Logger.Level.ERROR, "an abort step failed", e);
                }
            }
        }
        List<Runnable> claimed = new ArrayList<>();
        for (Runnable l : listeners) {
            if (listeners.remove(l)) {
                claimed.add(l);
            }
        }
        if (claimed.isEmpty()) {
            return true;
        }
        if (loop == null) {
            runListeners(claimed, null);
        } else if (loop.inLoop()) {
            runListeners(claimed, loop);
        } else if (!loop.submitInternal(() -> runListeners(claimed, loop))) {
            runListeners(claimed, null);
        }
        return true;
    }

    private static void runListeners(List<Runnable> claimed, EventLoop on) {
        for (Runnable l : claimed) {
            try {
                l.run();
            } catch (Throwable e) {
                if (on != null) {
                    on.reportUncaught(e);
                } else {
                    LOG.log(System.Logger.Level.ERROR, "an abort listener threw", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        Throwable r = reason;
        return r == null ? "AbortSignal[not aborted]" : "AbortSignal[aborted: " + r + "]";
    }
}

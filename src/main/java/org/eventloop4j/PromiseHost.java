package org.eventloop4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The per-loop state of promises: the unhandled-rejection tracker, the off-loop work of {@code promisify} and the
 * {@code CompletableFuture} bridges still waiting for their promise. It is
 * installed as the loop's {@link EventLoop.CheckpointHook}, so the loop calls it at the end of every microtask
 * checkpoint, and found again through that field: no global map from loops to state, nothing outlives the loop.
 *
 * <p><b>Protocol.</b> The host is created lazily by whichever thread needs it first and installed with a CAS on
 * {@code EventLoop.checkpointHook} (through a {@link VarHandle}; the loser of a race uses the winner's instance). The
 * loop thread reads the field plainly in {@code checkpoint()}: a host installed before the loop starts is published
 * by the driver CAS in {@code enterDriver}; one installed from another thread while the loop runs only needs to be
 * seen by the loop once a rejection happens there, and that path installs or reads it with an acquire itself. The
 * off-loop work is created on first use with a CAS on {@code work} for the same reason; the bridge set under the
 * host's monitor (once per loop; settlement never takes it). Bridges are added by any thread and removed by their
 * reaction on the loop thread or by the termination hook, whichever removes first completes the future; a
 * {@code CompletableFuture} completes once, so a race between the two is harmless.
 */
final class PromiseHost implements EventLoop.CheckpointHook {

    private static final VarHandle HOOK;
    private static final VarHandle WORK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HOOK = l.findVarHandle(EventLoop.class, "checkpointHook", EventLoop.CheckpointHook.class);
            WORK = l.findVarHandle(PromiseHost.class, "work", OffLoopWork.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final RejectionTracker rejections;
    private volatile OffLoopWork work;
    private volatile Set<Promise.FutureBridge<?>> bridges;

    private PromiseHost(EventLoop loop) {
        this.loop = loop;
        this.rejections = new RejectionTracker(loop);
    }

    /** @return the loop's host, installing it on first use; any thread */
    static PromiseHost of(EventLoop loop) {
        Object h = HOOK.getAcquire(loop);
        if (h instanceof PromiseHost) {
            return (PromiseHost) h;
        }
        if (h != null) {
            throw new IllegalStateException("the loop's checkpoint hook is taken by " + h.getClass().getName());
        }
        PromiseHost fresh = new PromiseHost(loop);
        Object witness = HOOK.compareAndExchange(loop, null, fresh);
        if (witness == null) {
            return fresh;
        }
        if (witness instanceof PromiseHost) {
            return (PromiseHost) witness;
        }
        throw new IllegalStateException("the loop's checkpoint hook is taken by " + witness.getClass().getName());
    }

    RejectionTracker rejections() {
        return rejections;
    }

    OffLoopWork offLoopWork() {
        OffLoopWork w = work;
        if (w != null) {
            return w;
        }
        OffLoopWork fresh = new OffLoopWork(loop);
        OffLoopWork witness = (OffLoopWork) WORK.compareAndExchange(this, (OffLoopWork) null, fresh);
        if (witness != null) {
            return witness;
        }
        fresh.install();
        return fresh;
    }

    /** @return the off-loop work if {@code promisify} was ever used on this loop, else null */
    OffLoopWork offLoopWorkIfStarted() {
        return work;
    }

    /**
     * Tracks a {@link CompletableFuture} bridge ({@link Promise#toCompletableFuture()}) until its reaction runs, so
     * that termination can complete it: no reaction runs on a terminated loop, and a thread blocked on the future
     * must not wait forever. Any thread.
     *
     * @param bridge the bridge's reaction, which calls {@link #untrack} when it runs
     */
    void track(Promise.FutureBridge<?> bridge) {
        Set<Promise.FutureBridge<?>> set = bridges;
        if (set == null) {
            synchronized (this) {       // once per loop, never on the settle path
                set = bridges;
                if (set == null) {
                    set = new ConcurrentSkipListSet<>(Comparator.comparingLong(b -> b.seq)); // lock-free
                    bridges = set;
                    loop.addTerminationHook(this::completeBridgesAtTermination);
                }
            }
        }
        set.add(bridge);
        if (loop.state() == LoopState.TERMINATED) {
            // the hook may have run before our add (or before it was registered): complete it here
            set.remove(bridge);
            bridge.completeAtTermination();
        }
    }

    void untrack(Promise.FutureBridge<?> bridge) {
        Set<Promise.FutureBridge<?>> set = bridges;
        if (set != null) {
            set.remove(bridge);
        }
    }

    private void completeBridgesAtTermination() {
        Set<Promise.FutureBridge<?>> set = bridges;
        for (Promise.FutureBridge<?> b : set) {
            if (set.remove(b)) {
                b.completeAtTermination();
            }
        }
    }

    @Override
    public boolean hasWork() {
        return rejections.hasWork();
    }

    @Override
    public void afterMicrotasks() {
        rejections.afterMicrotasks();
    }
}

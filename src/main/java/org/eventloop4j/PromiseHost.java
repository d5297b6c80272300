package org.eventloop4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-loop state of promises: the unhandled-rejection tracker and the off-loop work of {@code promisify}. It is
 * installed as the loop's {@link EventLoop.CheckpointHook}, so the loop calls it at the end of every microtask
 * checkpoint, and found again through that field: no global map from loops to state, nothing outlives the loop.
 *
 * <p><b>Protocol.</b> The host is created lazily by whichever thread needs it first and installed with a CAS on
 * {@code EventLoop.checkpointHook} (through a {@link VarHandle}; the loser of a race uses the winner's instance). The
 * loop thread reads the field plainly in {@code checkpoint()}: a host installed before the loop starts is published
 * by the driver CAS in {@code enterDriver}; one installed from another thread while the loop runs only needs to be
 * seen by the loop once a rejection happens there, and that path installs or reads it with an acquire itself. The
 * off-loop work is created on first use with a CAS on {@code work} for the same reason.
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

    @Override
    public boolean hasWork() {
        return rejections.hasWork();
    }

    @Override
    public void afterMicrotasks() {
        rejections.afterMicrotasks();
    }
}

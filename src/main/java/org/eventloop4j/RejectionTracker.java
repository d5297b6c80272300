package org.eventloop4j;

import java.util.ArrayList;

/**
 * Unhandled-rejection tracking for one loop, with Node's semantics ({@code processTicksAndRejections}).
 *
 * <p>A promise rejected while it has no reaction is appended to {@code pending}. At the end of the microtask
 * checkpoint (both queues empty) the loop calls {@link #afterMicrotasks()}: first each promise in
 * {@code handledLater} is reported to the {@link RejectionHandledHandler}, then each promise in {@code pending} that
 * still has no reaction is flagged {@code REPORTED} and reported to the {@link UnhandledRejectionHandler}. A
 * reaction registered in the same checkpoint sets {@code HANDLED}, so the promise is skipped silently; one registered
 * after the report puts the promise on {@code handledLater}. Handlers may queue microtasks: the checkpoint goes on.
 *
 * <p><b>Threads.</b> Everything but the two handler fields is loop-owned: promises settle and register reactions on
 * the loop thread only. The handler fields are volatile: set from any thread, read on the loop thread. The lists
 * hold promises only until the end of the current checkpoint; the per-promise state lives in the promise's own
 * {@code flags}, so nothing here keeps a promise alive afterwards.
 */
final class RejectionTracker {

    private static final System.Logger LOG = System.getLogger("org.eventloop4j.promise");

    private final EventLoop loop;
    volatile UnhandledRejectionHandler unhandledHandler;
    volatile RejectionHandledHandler handledHandler;

    private ArrayList<Promise<?>> pending = new ArrayList<>();
    private ArrayList<Promise<?>> pendingSpare = new ArrayList<>();
    private ArrayList<Promise<?>> handledLater = new ArrayList<>();
    private ArrayList<Promise<?>> handledSpare = new ArrayList<>();

    RejectionTracker(EventLoop loop) {
        this.loop = loop;
    }

    /** A promise was rejected with no reaction; loop thread. */
    void rejectedUnhandled(Promise<?> p) {
        pending.add(p);
    }

    /** A promise reported as unhandled got a reaction; loop thread. */
    void handledLater(Promise<?> p) {
        handledLater.add(p);
    }

    boolean hasWork() {
        return !pending.isEmpty() || !handledLater.isEmpty();
    }

    void afterMicrotasks() {
        if (!handledLater.isEmpty()) {
            ArrayList<Promise<?>> batch = handledLater;
            handledLater = handledSpare;
            handledSpare = batch;
            try {
                for (int i = 0; i < batch.size(); i++) {
                    reportHandled(batch.get(i));
                }
            } finally {
                batch.clear();
            }
        }
        if (!pending.isEmpty()) {
            ArrayList<Promise<?>> batch = pending;
            pending = pendingSpare;
            pendingSpare = batch;
            try {
                for (int i = 0; i < batch.size(); i++) {
                    Promise<?> p = batch.get(i);
                    if ((p.flags & Promise.HANDLED) == 0) {
                        p.flags |= Promise.REPORTED;
                        reportUnhandled(p);
                    }
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void reportUnhandled(Promise<?> p) {
        UnhandledRejectionHandler h = unhandledHandler;
        Throwable reason = p.reason();
        if (h == null) {
            LOG.log(System.Logger.Level.ERROR, "Unhandled promise rejection on " + loop + ": " + reason, reason);
            return;
        }
        try {
            h.unhandledRejection(p, reason);
        } catch (Throwable e) {
            loop.reportUncaught(e);
        }
    }

    private void reportHandled(Promise<?> p) {
        RejectionHandledHandler h = handledHandler;
        if (h == null) {
            LOG.log(System.Logger.Level.WARNING, "Promise rejection was handled asynchronously on " + loop + ": "
                    + p.reason());
            return;
        }
        try {
            h.rejectionHandled(p);
        } catch (Throwable e) {
            loop.reportUncaught(e);
        }
    }
}

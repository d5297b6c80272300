package org.eventloop4j;

import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.eventloop4j.internal.Platform;

/**
 * Blocking work handed off the loop by {@link Promise#promisify}: one lazily created executor per loop
 * ({@link Platform#newWorkExecutor}: virtual threads on Java 21+, a bounded pool on 17), shut down when the loop
 * terminates.
 *
 * <p><b>Life of one call.</b> {@code submit} creates a {@link Work} (a {@link FutureTask}), adds it to
 * {@code pending}, calls {@code loop.workStarted()} and hands it to the executor. {@link FutureTask#done()} runs
 * exactly once, on the worker when the callable returns or throws, or on the cancelling thread: it hands the outcome
 * to the loop with {@code submitInternal} <em>before</em> calling {@code loop.workFinished()}, so a graceful shutdown,
 * which waits for the work count to reach zero and the task queue to drain, never misses it. On the loop the outcome
 * settles the promise and removes the entry from {@code pending}.
 *
 * <p><b>Settling races.</b> Completion, abort (any thread) and {@code close()} (the termination hook, on the loop
 * thread) race to settle the promise; the promise's own CAS ({@code claim}) picks the winner; each path removes the
 * entry from {@code pending} itself.
 *
 * <p><b>No leaks.</b> {@code pending} (a lock-free concurrent set) holds exactly the calls whose promise is still unsettled:
 * what {@code close()} must reject. An entry is removed when its promise settles, whichever path settles it, so
 * settled promises are never retained. An unsettled promise is reachable from its running worker anyway, so holding
 * it here keeps nothing alive that would otherwise be collectable. A call whose abort listener was added to a
 * long-lived {@link AbortSignal} removes it when it settles.
 *
 * <p><b>Termination.</b> The hook sets {@code terminated} (volatile) before it walks {@code pending}; {@code submit}
 * adds its entry before it reads {@code terminated}. So either the hook sees the entry or the submitter sees the
 * flag and rejects the call itself.
 */
final class OffLoopWork {

    private final EventLoop loop;
    /** Lock-free (a skip list ordered by submission number): the settle path removes from it on the loop thread. */
    private final Set<Work<?>> pending = new ConcurrentSkipListSet<>(Comparator.comparingLong(w -> w.seq));
    private final AtomicLong seqs = new AtomicLong();
    private volatile ExecutorService executor;
    private volatile boolean terminated;

    OffLoopWork(EventLoop loop) {
        this.loop = loop;
    }

    /** Registers the termination hook; called once by the instance that won installation. */
    void install() {
        loop.addTerminationHook(this::onTermination);
        if (loop.state() == LoopState.TERMINATED) {
            terminated = true;
        }
    }

    /** @return how many calls have an unsettled promise (tests check it drains to zero) */
    int pendingCount() {
        return pending.size();
    }

    <T> Promise<T> submit(Callable<? extends T> callable, AbortSignal signal) {
        Promise<T> promise = new Promise<>(loop);
        if (signal != null && signal.aborted()) {
            promise.claim();
            promise.rejectAnyThread(signal.reason());
            return promise;
        }
        if (terminated || loop.state() == LoopState.TERMINATED) {
            promise.claim();
            promise.rejectAnyThread(terminatedException());
            return promise;
        }
        Work<T> work = new Work<>(this, promise, callable, signal, seqs.incrementAndGet());
        pending.add(work);
        loop.workStarted();
        if (signal != null) {
            // before the work can run, so it cannot settle (and remove the step) before the step is added; runs at
            // once if the signal aborted meanwhile: cancels the task (done(): workFinished) and rejects
            signal.addAlgorithm(work.onAbort);
        }
        if (terminated) {
            // the termination hook may have walked pending before our add: reject ourselves
            work.cancel(false);                 // done() runs once, whoever cancels first: workFinished
            work.rejectOffLoop(terminatedException());
            return promise;
        }
        if (work.isDone()) {
            return promise;                     // aborted already
        }
        try {
            executor().execute(work);
        } catch (RejectedExecutionException e) {
            work.cancel(false);
            work.rejectOffLoop(terminatedException());
        }
        return promise;
    }

    private ExecutorService executor() {
        ExecutorService e = executor;
        if (e == null) {
            synchronized (this) {       // once per loop, never on the settle path
                e = executor;
                if (e == null) {
                    if (terminated) {
                        throw new RejectedExecutionException("loop terminated");
                    }
                    e = Platform.newWorkExecutor(loop.threadName() + "-promisify");
                    executor = e;
                }
            }
        }
        return e;
    }

    private LoopTerminatedException terminatedException() {
        return new LoopTerminatedException("the event loop " + loop.threadName()
                + " terminated before the promisified work completed");
    }

    /** On the loop thread, at termination: reject what is pending, interrupt the workers. */
    private void onTermination() {
        terminated = true;
        for (Work<?> w : pending) {
            w.cancel(true);
            if (pending.remove(w) && w.promise.claim()) {
                w.removeAbortListener();
                w.promise.rejectAnyThread(terminatedException());
            }
        }
        ExecutorService e;
        synchronized (this) {
            e = executor;
        }
        if (e != null) {
            e.shutdownNow();
        }
    }

    /** One promisified call. */
    private static final class Work<T> extends FutureTask<T> {
        final OffLoopWork owner;
        final Promise<T> promise;
        final AbortSignal signal;
        final Runnable onAbort;
        final long seq;

        @SuppressWarnings("unchecked")
        Work(OffLoopWork owner, Promise<T> promise, Callable<? extends T> callable, AbortSignal signal, long seq) {
            super((Callable<T>) callable);
            this.seq = seq;
            this.owner = owner;
            this.promise = promise;
            this.signal = signal;
            this.onAbort = signal == null ? null : this::abort;
        }

        /** Runs exactly once: on the worker after the callable, or on the thread that cancelled. */
        @Override
        protected void done() {
            try {
                if (!isCancelled()) {
                    Object value = null;
                    Throwable error = null;
                    try {
                        value = get();
                    } catch (ExecutionException e) {
                        error = e.getCause();
                    } catch (InterruptedException | CancellationException e) {
                        error = e;
                    }
                    deliver(value, error);
                }
            } finally {
                owner.loop.workFinished();
            }
        }

        private void deliver(Object value, Throwable error) {
            Runnable settle = () -> {
                if (owner.pending.remove(this)) {
                    removeAbortListener();
                    if (promise.claim()) {
                        if (error != null) {
                            promise.rejectOnLoop(error);
                        } else {
                            promise.resolveOnLoop(value);
                        }
                    }
                }
            };
            if (!owner.loop.submitInternal(settle)) {
                rejectOffLoop(owner.terminatedException());
            }
        }

        /** Abort algorithm: any thread. */
        private void abort() {
            cancel(true);
            rejectOffLoop(signal.reason());
        }

        void rejectOffLoop(Throwable reason) {
            if (owner.pending.remove(this) && promise.claim()) {
                removeAbortListener();
                promise.rejectAnyThread(reason);
            }
        }

        void removeAbortListener() {
            if (signal != null) {
                signal.removeAlgorithm(onAbort);
            }
        }
    }
}

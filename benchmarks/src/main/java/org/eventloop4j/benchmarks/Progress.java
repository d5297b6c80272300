package org.eventloop4j.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.VarHandle;

/**
 * Progress of work that runs continuously on a loop thread, observed by the JMH thread.
 *
 * <h2>Protocol</h2>
 * The loop thread is the only writer of {@code ops} (plain) and {@code published} (release store, once every
 * {@link #BATCH} operations); the JMH thread is the only writer of {@code consumed} (plain) and reads
 * {@code published} with volatile loads. {@code stop} is written once by the JMH thread at tear-down (volatile) and
 * read by the loop thread before it re-arms the work. Padding keeps {@code published} and {@code stop} on lines of
 * their own so that the loop's plain counter and the JMH thread's spinning do not share a cache line.
 *
 * <p>Each JMH invocation waits for one more batch than it has consumed so far, so a run of {@code k} invocations
 * lasts as long as the loop needs for {@code k * BATCH} operations (plus at most one batch of lag). With
 * {@code @OperationsPerInvocation(BATCH)}, JMH's ops/s is the loop thread's operation rate, and
 * {@code gc.alloc.rate.norm} (which JMH computes over all threads) is the allocation per operation.
 *
 * <p>{@link LoopCpu} adds a second figure that does not depend on how much CPU the loop thread was given on a shared
 * machine: the loop thread's CPU time per operation.
 */
final class Progress {
    /** Operations per published batch; a power of two. */
    static final int BATCH = 1024;
    private static final int SHIFT = Integer.numberOfTrailingZeros(BATCH);

    private static final VarHandle PUBLISHED;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(Progress.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long a1, a2, a3, a4, a5, a6, a7;
    private volatile long published;
    @SuppressWarnings("unused")
    private long b1, b2, b3, b4, b5, b6, b7;
    private volatile boolean stop;
    @SuppressWarnings("unused")
    private long c1, c2, c3, c4, c5, c6, c7;
    /** Loop thread only. */
    private long ops;
    @SuppressWarnings("unused")
    private long d1, d2, d3, d4, d5, d6, d7;
    /** JMH thread only. */
    private long consumed;
    /** The loop thread, for its CPU time; set once at set-up (before the work starts) by {@link #bindLoopThread()}. */
    private volatile Thread loopThread;

    /** Records the calling thread as the loop thread; call it on the loop thread before the work starts. */
    void bindLoopThread() {
        loopThread = Thread.currentThread();
    }

    /** @return the loop thread's CPU time in ns, or -1 if unknown; JMH thread */
    long loopCpuNanos() {
        Thread t = loopThread;
        return t == null ? -1 : THREADS.getThreadCpuTime(t.getId());
    }

    /** @return the number of operations published so far; JMH thread */
    long publishedOps() {
        return published << SHIFT;
    }

    /** Counts one operation; loop thread. */
    void tick() {
        long n = ++ops;
        if ((n & (BATCH - 1)) == 0) {
            PUBLISHED.setRelease(this, n >>> SHIFT);
        }
    }

    /** Counts {@link #BATCH} operations at once; loop thread. */
    void batchDone() {
        long n = ops + BATCH;
        ops = n;
        PUBLISHED.setRelease(this, n >>> SHIFT);
    }

    /** @return whether the loop-side work should stop re-arming itself; loop thread */
    boolean stopped() {
        return stop;
    }

    /** Asks the loop-side work to stop; JMH thread. */
    void stop() {
        stop = true;
    }

    /** Forgets batches completed while JMH was not measuring (set-up, between iterations); JMH thread. */
    void resync() {
        consumed = published;
    }

    /** Waits for the next batch; JMH thread. */
    void awaitBatch() {
        long target = ++consumed;
        int spins = 0;
        while (published < target) {
            if (++spins < 256) {
                Thread.onSpinWait();
            } else {
                // 2 cores: give the loop thread the CPU if the scheduler has put us on the same one.
                Thread.yield();
            }
        }
    }
}

package org.eventloop4j;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.spi.Poller;

/**
 * A platform thread that waits for readiness on behalf of a loop running on a virtual thread, so that the virtual
 * thread never blocks in a native call (which would pin its carrier).
 *
 * <h2>Protocol</h2>
 * {@code state} is IDLE (the helper waits to be armed), ARMED (the loop asked for a watch; the helper is or will be
 * blocked in {@link Poller#awaitReadiness}). The loop arms with a CAS IDLE to ARMED and unparks the helper; if it was
 * already ARMED the helper is still watching from an earlier sleep and nothing is needed. When
 * {@code awaitReadiness} returns, the helper sets IDLE (volatile) and then unparks the loop, so a loop that wakes and
 * re-arms always finds IDLE or a helper about to watch again. The loop's own wakeups (tasks from other threads) are
 * unparks that do not involve the helper. {@link #stop()} sets {@code stopped} and wakes the poller so the helper
 * returns and exits.
 */
final class ReadinessWatcher implements Runnable {
    private static final System.Logger LOG = System.getLogger("org.eventloop4j");
    private static final int IDLE = 0;
    private static final int ARMED = 1;

    private final Poller poller;
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Thread loopThread;
    private volatile boolean stopped;

    ReadinessWatcher(Poller poller, String name) {
        this.poller = poller;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void arm(Thread loop) {
        loopThread = loop;
        if (state.compareAndSet(IDLE, ARMED)) {
            LockSupport.unpark(thread);
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        poller.wakeup();
    }

    @Override
    public void run() {
        while (!stopped) {
            if (state.get() != ARMED) {
                LockSupport.park(this);
                continue;
            }
            try {
                poller.awaitReadiness(-1);
            } catch (IOException | RuntimeException e) {
                if (!stopped) {
                    LOG.log(System.Logger.Level.WARNING, "readiness watcher failed; the loop falls back to short polls", e);
                }
            }
            state.set(IDLE);
            LockSupport.unpark(loopThread);
        }
    }
}

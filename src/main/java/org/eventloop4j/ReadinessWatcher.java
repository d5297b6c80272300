package org.eventloop4j;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.spi.Poller;

/**
 * A platform thread that waits for native readiness on behalf of a loop that cannot block in the poller itself: a
 * loop on a virtual thread (a blocking native call would pin its carrier), or a loop that blocks in a NIO
 * {@link Selector} because it also has channels registered. When readiness is pending it wakes the loop: an unpark,
 * or {@link Selector#wakeup()} if the loop armed it with a selector.
 *
 * <h2>Protocol</h2>
 * {@code state} is IDLE (the helper waits to be armed), ARMED (the loop asked for a watch; the helper is or will be
 * blocked in {@link Poller#awaitReadiness}). The loop first writes how it wants to be woken ({@code loopThread},
 * {@code loopSelector}, volatile), then arms with a CAS IDLE to ARMED and unparks the helper; if it was already
 * ARMED the helper is still watching from an earlier sleep and nothing is needed. When {@code awaitReadiness}
 * returns, the helper sets IDLE (volatile) and only then reads how to wake the loop and wakes it, so a loop that wakes
 * and re-arms always finds IDLE or a helper about to watch again, and a loop whose CAS found ARMED is woken the way
 * it asked (its writes precede that CAS, which precedes the helper's IDLE). Both wake mechanisms are sticky (an
 * unpark permit, a pending selector wakeup), so waking a loop that is not yet asleep is never lost. The loop's own wakeups (tasks from other threads) are
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
    private volatile Selector loopSelector;
    private volatile boolean stopped;

    ReadinessWatcher(Poller poller, String name) {
        this.poller = poller;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * @param loop     the loop thread, unparked when readiness is pending (if {@code selector} is null)
     * @param selector the selector the loop blocks in, woken instead of an unpark; null to unpark
     */
    void arm(Thread loop, Selector selector) {
        loopThread = loop;
        loopSelector = selector;
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
            Selector s = loopSelector;
            if (s != null) {
                s.wakeup();
            } else {
                LockSupport.unpark(loopThread);
            }
        }
    }
}

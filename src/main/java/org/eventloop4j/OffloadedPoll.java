package org.eventloop4j;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.spi.Poller;

/**
 * Runs a loop's blocking wait on a platform helper thread while the loop's virtual thread parks: a
 * {@link Poller#poll} for pollers that cannot wait for readiness without consuming it (IOCP), or a
 * {@link java.nio.channels.Selector#select} (which pins the carrier of a virtual thread on JDKs before 25). The
 * poller or selector is still used by one thread at a time: the loop hands the wait over and does nothing with it
 * until the helper hands it back. Producers end the helper's wait with the mechanism's own wakeup.
 *
 * <h2>Protocol</h2>
 * {@code state} (volatile) is IDLE, REQUESTED or DONE. The loop writes {@code timeoutNanos} and {@code loopThread},
 * then sets REQUESTED (the volatile write publishes them) and unparks the helper; it then parks until it reads DONE
 * (spurious unparks from producers are ignored: producers end the helper's wait with {@link Poller#wakeup()} or
 * {@link java.nio.channels.Selector#wakeup()}, and the
 * helper's return unparks the loop). The helper reads REQUESTED, polls (its sink writes the multiplexer's ready
 * arrays), stores any failure, and sets DONE (publishing those writes) before unparking the loop. The loop sets IDLE.
 */
final class OffloadedPoll implements Runnable {
    private static final int IDLE = 0;
    private static final int REQUESTED = 1;
    private static final int DONE = 2;

    /** One blocking wait, which also collects what became ready into the multiplexer's (loop-owned) arrays. */
    interface BlockingWait {
        void await(long timeoutNanos) throws IOException;
    }

    private final BlockingWait wait;
    private final Thread helper;
    private volatile int state = IDLE;
    private volatile boolean stopped;
    private long timeoutNanos;
    private Thread loopThread;
    private Throwable failure;

    OffloadedPoll(BlockingWait wait, String name) {
        this.wait = wait;
        this.helper = new Thread(this, name);
        this.helper.setDaemon(true);
        this.helper.start();
    }

    /** Loop thread: runs one poll on the helper and waits for it without pinning a carrier. */
    void poll(long timeout) throws IOException {
        timeoutNanos = timeout;
        loopThread = Thread.currentThread();
        failure = null;
        state = REQUESTED;
        LockSupport.unpark(helper);
        while (state != DONE) {
            LockSupport.park(this);
        }
        state = IDLE;
        Throwable f = failure;
        if (f instanceof IOException) {
            throw (IOException) f;
        } else if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        } else if (f instanceof Error) {
            throw (Error) f;
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(helper);
    }

    @Override
    public void run() {
        while (!stopped) {
            if (state != REQUESTED) {
                LockSupport.park(this);
                continue;
            }
            try {
                wait.await(timeoutNanos);
            } catch (Throwable t) {
                failure = t;
            }
            state = DONE;
            LockSupport.unpark(loopThread);
        }
    }
}

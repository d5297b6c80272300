package org.eventloop4j;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.ReadySink;

/**
 * Runs a loop's blocking {@link Poller#poll} on a platform helper thread while the loop's virtual thread parks, for
 * pollers that cannot wait for readiness without consuming it (IOCP). The poller is still used by one thread at a
 * time: the loop hands the poll over and does nothing with the poller until the helper hands it back.
 *
 * <h2>Protocol</h2>
 * {@code state} (volatile) is IDLE, REQUESTED or DONE. The loop writes {@code timeoutNanos} and {@code loopThread},
 * then sets REQUESTED (the volatile write publishes them) and unparks the helper; it then parks until it reads DONE
 * (spurious unparks from producers are ignored: producers wake the helper's poll with {@link Poller#wakeup()}, and the
 * helper's return unparks the loop). The helper reads REQUESTED, polls (its sink writes the multiplexer's ready
 * arrays), stores any failure, and sets DONE (publishing those writes) before unparking the loop. The loop sets IDLE.
 */
final class OffloadedPoll implements Runnable {
    private static final int IDLE = 0;
    private static final int REQUESTED = 1;
    private static final int DONE = 2;

    private final Poller poller;
    private final ReadySink sink;
    private final Thread helper;
    private volatile int state = IDLE;
    private volatile boolean stopped;
    private long timeoutNanos;
    private Thread loopThread;
    private Throwable failure;

    OffloadedPoll(Poller poller, ReadySink sink, String name) {
        this.poller = poller;
        this.sink = sink;
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
                poller.poll(timeoutNanos, sink);
            } catch (Throwable t) {
                failure = t;
            }
            state = DONE;
            LockSupport.unpark(loopThread);
        }
    }
}

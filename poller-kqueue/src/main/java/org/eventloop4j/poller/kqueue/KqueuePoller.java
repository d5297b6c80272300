package org.eventloop4j.poller.kqueue;

import static org.eventloop4j.poller.kqueue.KqueuePlatform.EBADF;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EINTR;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.ENOENT;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EVFILT_READ;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EVFILT_WRITE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ADD;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_CLEAR;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_DELETE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ENABLE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_EOF;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ERROR;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_RECEIPT;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.NOTE_TRIGGER;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.POLLIN;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.Arrays;
import org.eventloop4j.IoEvents;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.ReadySink;

/**
 * A level-triggered {@link Poller} over one kqueue.
 *
 * <h2>Technique</h2>
 * Interest {@link IoEvents#READ} is an {@code EVFILT_READ} knote and {@link IoEvents#WRITE} an {@code EVFILT_WRITE}
 * knote on the descriptor, both added with {@code EV_ADD|EV_ENABLE} and no {@code EV_CLEAR}, hence level-triggered;
 * the token travels in {@code udata}. Changes are applied at once, one {@code kevent} call per
 * register/modify/unregister with {@code EV_RECEIPT}, so every change reports its own errno and a refused change is
 * an {@link IOException} from the call that asked for it (a partly applied register is rolled back). Results map as:
 * read filter to READ, write filter to WRITE, {@code EV_EOF} to HANGUP, {@code EV_EOF} with a socket error in
 * {@code fflags} or {@code EV_ERROR} to ERROR; the two filters of one descriptor in one batch are merged into a
 * single report.
 *
 * <p>Wakeup is an {@code EVFILT_USER} knote with the reserved identifier {@link #WAKEUP_IDENT} (a separate name space
 * from descriptors), added with {@code EV_ADD|EV_CLEAR} at open and triggered with {@code NOTE_TRIGGER}; the kernel
 * resets it once reported, and it is never passed to the sink. {@link #awaitReadiness} uses {@code poll(2)} on the
 * kqueue descriptor, which is readable while events are pending, without consuming them.
 *
 * <h2>Threading protocol</h2>
 * The registration table ({@code interests}, {@code tokens}) and the change, receipt, event and timeout buffers are
 * touched by the loop thread only (register, modify, unregister, poll, close). {@link #wakeup()} may run on any
 * thread: it uses only the immutable, pre-filled {@code wakeChange} buffer and {@code kq}, under {@code lifecycle};
 * {@link #close()} sets {@code closed} under the same lock before closing the descriptor, so a wakeup never reaches a
 * closed (or reused) descriptor. {@link #awaitReadiness} runs on one helper thread and uses only its own
 * {@code pollFd} buffer; the loop stops that helper before closing the poller, and close triggers the user event
 * first so a helper still waiting returns.
 */
final class KqueuePoller implements Poller {

    /** The {@code EVFILT_USER} identifier reserved for wakeups. */
    static final long WAKEUP_IDENT = 0;
    /** Default number of {@code struct kevent}s fetched by one poll. */
    static final int DEFAULT_EVENT_CAPACITY = 256;

    private static final int STRUCT_POLLFD_SIZE = 8; // int fd; short events; short revents
    private static final int STRUCT_TIMESPEC_SIZE = 16; // time_t tv_sec; long tv_nsec (64-bit)
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final KqueueNative kernel;
    private final KqueuePlatform platform;
    private final KeventLayout layout;
    private final int kq;
    private final int eventCapacity;

    private final Memory changes;
    private final Memory receipts;
    private final Memory events;
    private final Memory timeout;
    private final Memory wakeChange;
    private final Memory pollFd;
    private final ReadyBatch batch;

    /** Interest by descriptor, -1 when not registered. Loop thread only. */
    private int[] interests = new int[0];
    /** Token by descriptor. Loop thread only. */
    private long[] tokens = new long[0];

    private final Object lifecycle = new Object();
    /** Written under {@code lifecycle}; read by the loop thread without it. */
    private volatile boolean closed;

    /**
     * Opens a kqueue and arms the wakeup event.
     *
     * @param kernel the native layer
     * @param platform constants and layout of the running system
     * @param eventCapacity how many kernel events one poll can fetch
     * @throws IOException if {@code kqueue} or the wakeup registration fails
     */
    KqueuePoller(KqueueNative kernel, KqueuePlatform platform, int eventCapacity) throws IOException {
        if (eventCapacity < 1) {
            throw new IllegalArgumentException("eventCapacity must be positive, got " + eventCapacity);
        }
        this.kernel = kernel;
        this.platform = platform;
        this.layout = platform.layout;
        this.eventCapacity = eventCapacity;
        int fd = kernel.kqueue();
        if (fd < 0) {
            throw error("kqueue()", -fd);
        }
        this.kq = fd;
        int stride = layout.size();
        this.changes = new Memory(2L * stride);
        this.receipts = new Memory(2L * stride);
        this.events = new Memory((long) eventCapacity * stride);
        this.timeout = new Memory(STRUCT_TIMESPEC_SIZE);
        this.wakeChange = new Memory(stride);
        this.pollFd = new Memory(STRUCT_POLLFD_SIZE);
        this.batch = new ReadyBatch(eventCapacity);
        layout.put(wakeChange, 0, WAKEUP_IDENT, platform.evfiltUser, 0, NOTE_TRIGGER, 0, 0);
        try {
            layout.put(changes, 0, WAKEUP_IDENT, platform.evfiltUser, EV_ADD | EV_CLEAR | EV_RECEIPT, 0, 0, 0);
            int err = apply(1);
            if (err != 0) {
                throw error("kevent(EVFILT_USER, EV_ADD)", err);
            }
        } catch (IOException | RuntimeException e) {
            kernel.close(fd);
            throw e;
        }
    }

    /** The kqueue descriptor (for tests and diagnostics). */
    int descriptor() {
        return kq;
    }

    @Override
    public void register(int fd, int interest, long token) throws IOException {
        IoEvents.checkInterest(interest);
        checkOpen();
        if (fd < 0) {
            throw new IllegalArgumentException("descriptor must be non-negative, got " + fd);
        }
        if (isRegistered(fd)) {
            throw new IllegalStateException("descriptor " + fd + " is already registered with this poller");
        }
        int n = 0;
        if ((interest & IoEvents.READ) != 0) {
            layout.put(changes, n++, fd, EVFILT_READ, EV_ADD | EV_ENABLE | EV_RECEIPT, 0, 0, token);
        }
        if ((interest & IoEvents.WRITE) != 0) {
            layout.put(changes, n++, fd, EVFILT_WRITE, EV_ADD | EV_ENABLE | EV_RECEIPT, 0, 0, token);
        }
        if (n > 0) {
            int err = apply(n);
            if (err != 0) {
                rollBackAdds(n);
                throw error("kevent(EV_ADD) for descriptor " + fd, err);
            }
        }
        ensureCapacity(fd);
        interests[fd] = interest;
        tokens[fd] = token;
    }

    @Override
    public void modify(int fd, int interest, long token) throws IOException {
        IoEvents.checkInterest(interest);
        checkOpen();
        requireRegistered(fd);
        int old = interests[fd];
        boolean retag = tokens[fd] != token;
        int n = 0;
        n = diff(fd, EVFILT_READ, (old & IoEvents.READ) != 0, (interest & IoEvents.READ) != 0, retag, token, n);
        n = diff(fd, EVFILT_WRITE, (old & IoEvents.WRITE) != 0, (interest & IoEvents.WRITE) != 0, retag, token, n);
        if (n > 0) {
            int err = apply(n);
            if (err != 0) {
                // The kernel state is now uncertain (usually the descriptor was closed, which removed its knotes).
                // Leave the registration paused rather than half-changed.
                deleteQuietly(fd, old | interest);
                interests[fd] = 0;
                throw error("kevent(modify) for descriptor " + fd, err);
            }
        }
        interests[fd] = interest;
        tokens[fd] = token;
    }

    @Override
    public void unregister(int fd) throws IOException {
        checkOpen();
        requireRegistered(fd);
        int interest = interests[fd];
        interests[fd] = -1;
        int n = 0;
        if ((interest & IoEvents.READ) != 0) {
            layout.put(changes, n++, fd, EVFILT_READ, EV_DELETE | EV_RECEIPT, 0, 0, 0);
        }
        if ((interest & IoEvents.WRITE) != 0) {
            layout.put(changes, n++, fd, EVFILT_WRITE, EV_DELETE | EV_RECEIPT, 0, 0, 0);
        }
        if (n > 0) {
            int err = apply(n);
            // Closing a descriptor removes its knotes: EBADF / ENOENT mean the owner closed it first.
            if (err != 0 && err != EBADF && err != ENOENT) {
                throw error("kevent(EV_DELETE) for descriptor " + fd, err);
            }
        }
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        checkOpen();
        Pointer ts = null;
        if (timeoutNanos >= 0) {
            writeTimespec(timeout, timeoutNanos);
            ts = timeout;
        }
        int n = kernel.kevent(kq, null, 0, events, eventCapacity, ts);
        if (n < 0) {
            if (-n == EINTR) {
                return 0;
            }
            throw error("kevent(wait)", -n);
        }
        batch.clear();
        for (int i = 0; i < n; i++) {
            int filter = layout.filter(events, i);
            long ident = layout.ident(events, i);
            if (filter == platform.evfiltUser) {
                continue; // the wakeup (EV_CLEAR resets it); never reported
            }
            int flags = layout.flags(events, i);
            int bits = 0;
            if ((flags & EV_ERROR) != 0) {
                bits |= IoEvents.ERROR;
            } else if (filter == EVFILT_READ) {
                bits |= IoEvents.READ;
            } else if (filter == EVFILT_WRITE) {
                bits |= IoEvents.WRITE;
            }
            if ((flags & EV_EOF) != 0) {
                bits |= IoEvents.HANGUP;
                if (layout.fflags(events, i) != 0) {
                    bits |= IoEvents.ERROR; // fflags holds the pending socket error
                }
            }
            if (bits != 0 && ident >= 0 && ident <= Integer.MAX_VALUE) {
                batch.add((int) ident, layout.udata(events, i), bits);
            }
        }
        int reported = 0;
        for (int i = 0; i < batch.size(); i++) {
            // Re-checked per report: an earlier callback may have changed or removed this registration.
            int fd = batch.fd(i);
            if (!isRegistered(fd) || tokens[fd] != batch.token(i)) {
                continue; // stale: level-triggered, so it comes back if it still holds
            }
            int ready = batch.events(i) & (interests[fd] | IoEvents.ERROR | IoEvents.HANGUP);
            if (ready != 0) {
                sink.ready(batch.token(i), ready);
                reported++;
            }
        }
        return reported;
    }

    @Override
    public void wakeup() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            int r;
            do {
                r = kernel.kevent(kq, wakeChange, 1, null, 0, null);
            } while (r == -EINTR);
            // Any other failure is not actionable here; the loop's own timeout bounds the wait.
        }
    }

    @Override
    public boolean supportsAwaitReadiness() {
        return true;
    }

    /**
     * Waits with {@code poll(2)} until the kqueue descriptor is readable, which it is while an event (including a
     * triggered wakeup) is pending; nothing is consumed.
     */
    @Override
    public boolean awaitReadiness(long timeoutNanos) throws IOException {
        checkOpen();
        pollFd.setInt(0, kq);
        pollFd.setShort(4, POLLIN);
        pollFd.setShort(6, (short) 0);
        int r = kernel.poll(pollFd, 1, toPollMillis(timeoutNanos));
        if (r < 0) {
            if (-r == EINTR) {
                return true; // spurious; the caller polls and finds out
            }
            throw error("poll(kqueue)", -r);
        }
        return r > 0;
    }

    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            kernel.kevent(kq, wakeChange, 1, null, 0, null); // release a helper still in awaitReadiness
            closed = true;
            wakeChange.close();
        }
        int r = kernel.close(kq);
        Arrays.fill(interests, -1);
        // Loop-thread buffers are freed now; pollFd is left to the collector, as a helper may still be returning.
        changes.close();
        receipts.close();
        events.close();
        timeout.close();
        if (r < 0 && -r != EINTR) {
            throw error("close(kqueue)", -r);
        }
    }

    // ---- helpers ----

    /** Converts a timeout for {@code poll(2)}: negative waits without limit, else milliseconds rounded up. */
    static int toPollMillis(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return -1;
        }
        long millis = timeoutNanos / 1_000_000L + (timeoutNanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /** Writes a {@code struct timespec} (64-bit: {@code tv_sec} at 0, {@code tv_nsec} at 8). */
    static void writeTimespec(Pointer ts, long timeoutNanos) {
        ts.setLong(0, timeoutNanos / NANOS_PER_SECOND);
        ts.setLong(8, timeoutNanos % NANOS_PER_SECOND);
    }

    /**
     * Submits {@code n} receipt-flagged changes from {@code changes}; returns the first errno, or 0 if all applied.
     * Receipts land in {@code receipts}, which tests and {@link #rollBackAdds} inspect.
     */
    private int apply(int n) throws IOException {
        int r;
        do {
            r = kernel.kevent(kq, changes, n, receipts, n, null);
        } while (r == -EINTR);
        if (r < 0) {
            return -r;
        }
        int first = 0;
        for (int i = 0; i < r; i++) {
            if ((layout.flags(receipts, i) & EV_ERROR) != 0) {
                int errno = (int) layout.data(receipts, i);
                if (errno != 0 && first == 0) {
                    first = errno;
                }
            }
        }
        return first;
    }

    /** After a failed register: deletes the adds whose receipt reported success. */
    private void rollBackAdds(int n) {
        int[] fds = new int[n];
        int[] filters = new int[n];
        int undo = 0;
        for (int i = 0; i < n; i++) {
            if ((layout.flags(receipts, i) & EV_ERROR) != 0 && layout.data(receipts, i) == 0) {
                fds[undo] = (int) layout.ident(receipts, i);
                filters[undo] = layout.filter(receipts, i);
                undo++;
            }
        }
        for (int i = 0; i < undo; i++) {
            layout.put(changes, i, fds[i], filters[i], EV_DELETE | EV_RECEIPT, 0, 0, 0);
        }
        if (undo > 0) {
            kernel.kevent(kq, changes, undo, receipts, undo, null);
        }
    }

    private void deleteQuietly(int fd, int filtersMask) {
        int n = 0;
        if ((filtersMask & IoEvents.READ) != 0) {
            layout.put(changes, n++, fd, EVFILT_READ, EV_DELETE | EV_RECEIPT, 0, 0, 0);
        }
        if ((filtersMask & IoEvents.WRITE) != 0) {
            layout.put(changes, n++, fd, EVFILT_WRITE, EV_DELETE | EV_RECEIPT, 0, 0, 0);
        }
        if (n > 0) {
            kernel.kevent(kq, changes, n, receipts, n, null);
        }
    }

    private int diff(int fd, int filter, boolean had, boolean wants, boolean retag, long token, int n) {
        if (wants && (!had || retag)) {
            layout.put(changes, n++, fd, filter, EV_ADD | EV_ENABLE | EV_RECEIPT, 0, 0, token); // EV_ADD updates udata
        } else if (had && !wants) {
            layout.put(changes, n++, fd, filter, EV_DELETE | EV_RECEIPT, 0, 0, 0);
        }
        return n;
    }

    private boolean isRegistered(int fd) {
        return fd >= 0 && fd < interests.length && interests[fd] >= 0;
    }

    private void requireRegistered(int fd) {
        if (!isRegistered(fd)) {
            throw new IllegalArgumentException("descriptor " + fd + " is not registered with this poller");
        }
    }

    private void ensureCapacity(int fd) {
        if (fd >= interests.length) {
            long doubled = Math.max(64L, (long) Integer.highestOneBit(fd) << 1);
            int size = (int) Math.max(fd + 1L, Math.min(doubled, Integer.MAX_VALUE - 8L));
            int old = interests.length;
            interests = Arrays.copyOf(interests, size);
            tokens = Arrays.copyOf(tokens, size);
            Arrays.fill(interests, old, size, -1);
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("kqueue poller is closed");
        }
    }

    static IOException error(String call, int errno) {
        return new IOException(call + " failed: errno " + errno + errnoName(errno));
    }

    private static String errnoName(int errno) {
        switch (errno) {
            case ENOENT: return " (ENOENT)";
            case EINTR: return " (EINTR)";
            case EBADF: return " (EBADF)";
            case 12: return " (ENOMEM)";
            case 13: return " (EACCES)";
            case 22: return " (EINVAL)";
            case 24: return " (EMFILE)";
            default: return "";
        }
    }
}

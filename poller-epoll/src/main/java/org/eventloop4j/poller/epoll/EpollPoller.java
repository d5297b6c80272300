package org.eventloop4j.poller.epoll;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;
import org.eventloop4j.IoEvents;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.ReadySink;

/**
 * A level-triggered {@link Poller} over one Linux epoll instance, woken through an eventfd.
 *
 * <h2>Kernel objects</h2>
 * One epoll descriptor ({@code epoll_create1(EPOLL_CLOEXEC)}) and one eventfd
 * ({@code eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)}), registered in the epoll set <em>edge-triggered</em>
 * ({@code EPOLLIN | EPOLLET}) with the reserved token {@link #WAKEUP_TOKEN}. It is never reported to a
 * {@link ReadySink} and never read: every {@link #wakeup()} adds 1 to its counter, which is a new edge, and one
 * {@code epoll_wait} that reports the edge consumes it together with any number of wakeups that came before it. So
 * a wakeup costs the loop no extra system call (a level-triggered eventfd would have to be read on every wakeup).
 * The counter grows by one per wakeup and saturates only after 2<sup>64</sup>-2 of them (centuries at a billion
 * wakeups a second); a write the kernel refuses because of that would still leave the edge pending.
 * Each registration stores its token in {@code epoll_data.u64}. Interest {@code READ} is
 * {@code EPOLLIN | EPOLLRDHUP}, {@code WRITE} is {@code EPOLLOUT}; reports map {@code EPOLLIN} to {@code READ},
 * {@code EPOLLOUT} to {@code WRITE}, {@code EPOLLERR} to {@code ERROR}, and {@code EPOLLHUP} or
 * {@code EPOLLRDHUP} to {@code HANGUP}. The kernel always reports {@code EPOLLERR} and {@code EPOLLHUP}, even for an
 * interest set of 0; {@code EPOLLRDHUP} (the peer shut down its writing side) only while {@code READ} is wanted.
 *
 * <h2>Threading protocol</h2>
 * <ul>
 *   <li><b>Loop thread only:</b> {@link #register}, {@link #modify}, {@link #unregister}, {@link #poll} and
 *   {@link #close}. They share the buffers {@link #events} and {@link #ctlEvent} (and their
 *   byte-buffer views) without synchronization, which is correct only because one thread calls them.</li>
 *   <li><b>Any thread:</b> {@link #wakeup()}, at any time, also concurrently with {@link #poll} and after
 *   {@link #close}. It writes the constant 1 from {@link #wakeValue}, which is filled in the constructor and never
 *   written again (published by the {@code final} field), so concurrent wakers share it safely.</li>
 *   <li><b>One helper platform thread:</b> {@link #awaitReadiness}, concurrently with the loop thread's
 *   {@code poll(0, ...)}. It uses only its own buffer {@link #pollFd} and calls {@code poll(2)} on the epoll
 *   descriptor, which is readable while the epoll ready list is non-empty; that consumes nothing.</li>
 * </ul>
 *
 * <h2>Closing versus wakeup and awaitReadiness</h2>
 * A bare "volatile closed flag" check in {@link #wakeup()} leaves a window: a waker reads {@code closed == false},
 * the loop closes the eventfd, the kernel hands the same descriptor number to an unrelated {@code open}, and the
 * waker's 8-byte {@code write} lands in somebody else's file or socket. That race is not accepted here. Instead:
 * <ol>
 *   <li>{@link #closed} is set once by compare-and-set (volatile), so exactly one call of {@link #close} proceeds.
 *   </li>
 *   <li>{@link #wakeup()} and {@link #awaitReadiness} run under the <em>read</em> side of {@link #lifecycle}
 *   (shared: wakers never wait for each other) and re-check {@link #closed} inside it.</li>
 *   <li>{@link #close()} first signals the eventfd itself, which makes a helper blocked in
 *   {@link #awaitReadiness} return, then takes the <em>write</em> side, which waits for in-flight wakers and the
 *   helper to leave, and only then closes the descriptors.</li>
 * </ol>
 * The only race that remains is the benign one the SPI asks for: a {@code wakeup()} that loses to {@code close()}
 * does nothing. The native buffers are not freed by {@code close()}: JNA's cleaner frees them when the poller
 * becomes unreachable, so even a caller that breaks the protocol (closing from a foreign thread during a poll)
 * cannot make the kernel write into freed memory.
 *
 * <h2>Reports</h2>
 * {@link #poll} reports at most {@link #maxEvents} descriptors per call; the rest stay ready (level-triggered) and
 * come with the next calls, which epoll serves round-robin. A report is made from the kernel's snapshot taken
 * when {@code epoll_wait} returned: if a {@link ReadySink} call unregisters or modifies <em>another</em>
 * descriptor, a report for that descriptor already in the snapshot is still delivered with its old token, so the
 * caller must ignore tokens it no longer knows. If a sink call throws, the exception propagates and the remaining
 * reports of that poll are skipped; they are reported again by the next poll.
 */
final class EpollPoller implements Poller {

    /** The token of the internal wakeup eventfd; {@link #register} and {@link #modify} refuse it. */
    static final long WAKEUP_TOKEN = Long.MIN_VALUE;

    /** How many events one {@code epoll_wait} can return by default (as the JDK's epoll selector). */
    static final int DEFAULT_MAX_EVENTS = 1024;

    /** The largest event buffer: its byte offsets must fit an {@code int} (the kernel allows far fewer anyway). */
    static final int MAX_EVENTS_LIMIT = 1 << 20;

    private static final long EVENTFD_VALUE_SIZE = 8;
    private static final int POLLFD_SIZE = 8;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(EpollPoller.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EpollEventLayout layout;
    private final int maxEvents;
    private final int epfd;
    private final int wakeFd;

    /** Loop thread: the {@code epoll_wait} output array, and a native-order view of it for reading. */
    private final Memory events;
    private final ByteBuffer eventsView;
    /** Loop thread: the single {@code struct epoll_event} passed to {@code epoll_ctl}, and its view. */
    private final Memory ctlEvent;
    private final ByteBuffer ctlEventView;
    /** Any thread, read-only after construction: the value 1 that {@link #wakeup()} writes to the eventfd. */
    private final Memory wakeValue;
    /** The awaitReadiness helper thread: one {@code struct pollfd}. */
    private final Memory pollFd;

    /** Read side: wakers and the awaitReadiness helper. Write side: {@link #close()}. */
    private final StampedLock lifecycle = new StampedLock();

    /** Set once, by compare-and-set, when {@link #close()} begins. */
    private volatile boolean closed;

    /**
     * Opens an epoll instance and its wakeup eventfd.
     *
     * @param layout    the {@code struct epoll_event} layout of this architecture
     * @param maxEvents how many events one {@link #poll} can report at most
     * @throws IOException if the kernel refuses to create either descriptor
     */
    EpollPoller(EpollEventLayout layout, int maxEvents) throws IOException {
        this.layout = Objects.requireNonNull(layout, "layout");
        if (maxEvents < 1 || maxEvents > MAX_EVENTS_LIMIT) {
            throw new IllegalArgumentException("maxEvents must be between 1 and " + MAX_EVENTS_LIMIT + ", got "
                    + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.events = new Memory((long) maxEvents * layout.stride());
        this.eventsView = events.getByteBuffer(0, events.size()).order(ByteOrder.nativeOrder());
        this.ctlEvent = new Memory(layout.stride());
        this.ctlEventView = ctlEvent.getByteBuffer(0, ctlEvent.size()).order(ByteOrder.nativeOrder());
        this.wakeValue = new Memory(EVENTFD_VALUE_SIZE);
        this.wakeValue.setLong(0, 1L);
        this.pollFd = new Memory(POLLFD_SIZE);

        int ep = EpollNative.epoll_create1(EpollNative.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw failure("epoll_create1(EPOLL_CLOEXEC) failed", Native.getLastError());
        }
        int efd = EpollNative.eventfd(0, EpollNative.EFD_CLOEXEC | EpollNative.EFD_NONBLOCK);
        if (efd < 0) {
            int errno = Native.getLastError();
            EpollNative.close(ep);
            throw failure("eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) failed", errno);
        }
        layout.put(ctlEventView, 0, EpollNative.EPOLLIN | EpollNative.EPOLLET, WAKEUP_TOKEN);
        if (EpollNative.epoll_ctl(ep, EpollNative.EPOLL_CTL_ADD, efd, ctlEvent) < 0) {
            int errno = Native.getLastError();
            EpollNative.close(efd);
            EpollNative.close(ep);
            throw failure("cannot add the wakeup eventfd to the epoll set", errno);
        }
        this.epfd = ep;
        this.wakeFd = efd;
    }

    @Override
    public void register(int fd, int interest, long token) throws IOException {
        control(EpollNative.EPOLL_CTL_ADD, "register", fd, interest, token);
    }

    @Override
    public void modify(int fd, int interest, long token) throws IOException {
        control(EpollNative.EPOLL_CTL_MOD, "modify", fd, interest, token);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code EBADF} (the descriptor is closed) and {@code ENOENT} (it is not in the set, for instance because
     * closing it removed it) are ignored. After {@link #close()} this does nothing.
     */
    @Override
    public void unregister(int fd) throws IOException {
        if (closed) {
            return;
        }
        checkFd(fd);
        // A non-null event pointer: kernels before 2.6.9 required one even for EPOLL_CTL_DEL.
        if (EpollNative.epoll_ctl(epfd, EpollNative.EPOLL_CTL_DEL, fd, ctlEvent) < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EBADF || errno == Errno.ENOENT) {
                return;
            }
            throw failure("cannot unregister fd " + fd + " from epoll", errno);
        }
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        checkOpen();
        int n = waitForEvents(timeoutNanos);
        int reported = 0;
        for (int i = 0; i < n && !closed; i++) {
            long token = layout.data(eventsView, i);
            if (token == WAKEUP_TOKEN) {
                continue;    // edge-triggered: reporting it consumed it
            }
            int ready = toReadyEvents(layout.events(eventsView, i));
            if (ready != 0) {
                sink.ready(token, ready);
                reported++;
            }
        }
        return reported;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes 1 to the wakeup eventfd, unless the poller is closed.
     *
     * @throws UncheckedIOException if the kernel refuses the write for a reason other than a saturated counter
     *                              (which cannot happen in practice and would mean a wakeup is pending anyway)
     */
    @Override
    public void wakeup() {
        if (closed) {
            return;
        }
        long stamp = lifecycle.readLock();
        try {
            if (!closed) {
                int errno = writeWakeValue();
                // EAGAIN: the counter is saturated (after 2^64-2 wakeups: not reachable in practice).
                if (errno != 0 && errno != Errno.EAGAIN) {
                    throw new UncheckedIOException(failure("cannot write the wakeup eventfd " + wakeFd, errno));
                }
            }
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public boolean supportsAwaitReadiness() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calls {@code poll(2)} for {@code POLLIN} on the epoll descriptor itself, which the kernel reports readable
     * while a registered descriptor (or the wakeup eventfd) is ready, without consuming anything. {@code EINTR} is
     * retried with the remaining time.
     *
     * @throws IllegalStateException if the poller is closed
     */
    @Override
    public boolean awaitReadiness(long timeoutNanos) throws IOException {
        long stamp = lifecycle.readLock();
        try {
            checkOpen();
            pollFd.setInt(0, epfd);
            pollFd.setShort(4, EpollNative.POLLIN);
            pollFd.setShort(6, (short) 0);
            int millis = toMillis(timeoutNanos);
            long deadline = millis > 0 ? System.nanoTime() + timeoutNanos : 0L;
            for (;;) {
                int n = EpollNative.poll(pollFd, 1, millis);
                if (n >= 0) {
                    return n > 0;
                }
                int errno = Native.getLastError();
                if (errno != Errno.EINTR) {
                    throw failure("poll(2) on the epoll descriptor failed", errno);
                }
                if (millis > 0) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    millis = toMillis(remaining);
                }
            }
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Wakes a helper blocked in {@link #awaitReadiness}, waits until no {@link #wakeup()} is writing, then
     * closes the eventfd and the epoll descriptor. Registered descriptors stay open.
     */
    @Override
    public void close() throws IOException {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        // The descriptors are still open and only this thread can close them: make a blocked helper return.
        // A failure here is ignored: the worst outcome is that close waits for the helper's timeout.
        writeWakeValue();
        long stamp = lifecycle.writeLock();
        try {
            int wakeErr = EpollNative.close(wakeFd) < 0 ? Native.getLastError() : 0;
            int epErr = EpollNative.close(epfd) < 0 ? Native.getLastError() : 0;
            if (wakeErr != 0) {
                throw failure("close(eventfd " + wakeFd + ") failed", wakeErr);
            }
            if (epErr != 0) {
                throw failure("close(epoll fd " + epfd + ") failed", epErr);
            }
        } finally {
            lifecycle.unlockWrite(stamp);
        }
    }

    @Override
    public String toString() {
        return "EpollPoller[epfd=" + epfd + ", eventfd=" + wakeFd + ", maxEvents=" + maxEvents + ", " + layout
                + (closed ? ", closed]" : "]");
    }

    /**
     * Converts a poll timeout to {@code epoll_wait}'s milliseconds, rounding up so that a wait never ends before
     * the requested time (rounding down would wake early and make the loop spin until the deadline).
     *
     * @param timeoutNanos negative for no limit, 0 for no wait, else the longest wait
     * @return -1, 0, or the milliseconds rounded up and capped at {@link Integer#MAX_VALUE}
     */
    static int toMillis(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return -1;
        }
        long millis = timeoutNanos / NANOS_PER_MILLI;
        if (timeoutNanos % NANOS_PER_MILLI != 0) {
            millis++;
        }
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /**
     * Maps an interest set to epoll's request bits.
     *
     * @param interest {@link IoEvents#READ} and/or {@link IoEvents#WRITE}, or 0
     * @return the {@code events} mask for {@code epoll_ctl}
     */
    static int toEpollEvents(int interest) {
        int mask = 0;
        if ((interest & IoEvents.READ) != 0) {
            mask |= EpollNative.EPOLLIN | EpollNative.EPOLLRDHUP;
        }
        if ((interest & IoEvents.WRITE) != 0) {
            mask |= EpollNative.EPOLLOUT;
        }
        return mask;
    }

    /**
     * Maps the bits epoll reported to {@link IoEvents} bits.
     *
     * @param epollEvents an {@code events} mask from {@code epoll_wait}
     * @return the ready set, possibly 0 for bits this poller never asks for
     */
    static int toReadyEvents(int epollEvents) {
        int ready = 0;
        if ((epollEvents & EpollNative.EPOLLIN) != 0) {
            ready |= IoEvents.READ;
        }
        if ((epollEvents & EpollNative.EPOLLOUT) != 0) {
            ready |= IoEvents.WRITE;
        }
        if ((epollEvents & EpollNative.EPOLLERR) != 0) {
            ready |= IoEvents.ERROR;
        }
        if ((epollEvents & (EpollNative.EPOLLHUP | EpollNative.EPOLLRDHUP)) != 0) {
            ready |= IoEvents.HANGUP;
        }
        return ready;
    }

    private void control(int op, String what, int fd, int interest, long token) throws IOException {
        checkOpen(); // first: once closed, the poller's own descriptor numbers may belong to new files
        checkFd(fd);
        IoEvents.checkInterest(interest);
        if (token == WAKEUP_TOKEN) {
            throw new IllegalArgumentException("token " + token + " (Long.MIN_VALUE) is reserved by the epoll poller "
                    + "for its wakeup eventfd");
        }
        layout.put(ctlEventView, 0, toEpollEvents(interest), token);
        if (EpollNative.epoll_ctl(epfd, op, fd, ctlEvent) < 0) {
            int errno = Native.getLastError();
            throw failure("cannot " + what + " fd " + fd + " for " + IoEvents.toString(interest) + " with epoll"
                    + hint(op, errno), errno);
        }
    }

    private static String hint(int op, int errno) {
        switch (errno) {
            case Errno.EBADF:
                return " (it is not an open descriptor)";
            case Errno.EEXIST:
                return " (it is already registered with this poller: use modify)";
            case Errno.ENOENT:
                return op == EpollNative.EPOLL_CTL_MOD ? " (it is not registered with this poller)" : "";
            case Errno.EPERM:
                return " (this kind of descriptor does not support epoll: regular files and directories are always"
                        + " ready, read them with blocking I/O)";
            case Errno.ENOSPC:
                return " (the per-user limit /proc/sys/fs/epoll/max_user_watches is reached)";
            case Errno.ELOOP:
            case Errno.EINVAL:
                return " (an epoll descriptor cannot watch itself or form a loop of epoll sets)";
            default:
                return "";
        }
    }

    private int waitForEvents(long timeoutNanos) throws IOException {
        int millis = toMillis(timeoutNanos);
        long deadline = millis > 0 ? System.nanoTime() + timeoutNanos : 0L;
        for (;;) {
            int n = EpollNative.epoll_wait(epfd, events, maxEvents, millis);
            if (n >= 0) {
                return n;
            }
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw failure("epoll_wait failed", errno);
            }
            if (millis > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return 0;
                }
                millis = toMillis(remaining);
            }
        }
    }

    /**
     * Adds 1 to the eventfd counter. Callers guarantee the descriptor is open: they hold the read side of
     * {@link #lifecycle} and saw {@link #closed} false, or they are the one {@link #close()} call.
     *
     * @return 0, or the errno of a failed write
     */
    private int writeWakeValue() {
        return EpollNative.write(wakeFd, wakeValue, EVENTFD_VALUE_SIZE) < 0 ? Native.getLastError() : 0;
    }

    private void checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must not be negative, got " + fd);
        }
        if (fd == epfd || fd == wakeFd) {
            throw new IllegalArgumentException("fd " + fd + " is the epoll poller's own descriptor");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the epoll poller is closed");
        }
    }

    private static IOException failure(String message, int errno) {
        return new IOException(message + ": " + Errno.describe(errno));
    }
}

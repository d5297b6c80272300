package org.eventloop4j.poller.kqueue;

import static org.eventloop4j.poller.kqueue.KqueuePlatform.EBADF;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.ENOENT;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EVFILT_READ;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EVFILT_WRITE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ADD;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_CLEAR;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_DELETE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_EOF;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ERROR;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_RECEIPT;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.NOTE_TRIGGER;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory kqueue kernel. It decodes the change lists the poller writes (with the platform's real
 * {@code struct kevent} layout), keeps knotes, lets a test mark descriptors readable / writable / at EOF / closed,
 * and writes results into the caller's buffers as the kernel would: level-triggered read/write filters, an
 * {@code EV_CLEAR} user event reset once reported, {@code EV_RECEIPT} entries with {@code EV_ERROR} and the errno in
 * {@code data}. A wait with a timeout (or none) really blocks, on a condition, until something is ready.
 */
final class FakeKqueueKernel implements KqueueNative {

    /** One decoded {@code struct kevent}. */
    record Kevent(long ident, int filter, int flags, int fflags, long data, long udata) {
    }

    private record Key(long ident, int filter) {
    }

    private static final class Knote {
        long udata;
        boolean clear;
        boolean triggered;

        Knote(long udata, boolean clear) {
            this.udata = udata;
            this.clear = clear;
        }
    }

    final KqueuePlatform platform;
    private final KeventLayout layout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final Map<Key, Knote> knotes = new LinkedHashMap<>();
    private final List<Kevent> changeLog = new ArrayList<>();
    private final List<Long> waitTimeouts = new ArrayList<>();
    private final List<Integer> pollTimeouts = new ArrayList<>();
    private final List<Kevent> injected = new ArrayList<>();
    private final Set<Integer> readable = new HashSet<>();
    private final Set<Integer> writable = new HashSet<>();
    private final Map<Integer, Integer> eof = new HashMap<>();
    private final Set<Integer> closedFds = new HashSet<>();
    private final Map<Key, Integer> addFailures = new HashMap<>();
    private final List<Integer> closedByClose = new ArrayList<>();
    private int waiters;
    private int kq = -1;
    private boolean kqClosed;
    private int failNextWaitWith;

    FakeKqueueKernel(KqueuePlatform platform) {
        this.platform = platform;
        this.layout = platform.layout;
    }

    // ---- test controls ----

    void setReadable(int fd, boolean on) {
        update(() -> toggle(readable, fd, on));
    }

    void setWritable(int fd, boolean on) {
        update(() -> toggle(writable, fd, on));
    }

    /** Marks EOF on both filters of {@code fd}, with a socket error in {@code fflags} (0 for a clean EOF). */
    void setEof(int fd, int socketError) {
        update(() -> eof.put(fd, socketError));
    }

    /** The owner closed {@code fd}: its knotes vanish and further changes on it fail with EBADF. */
    void closeDescriptor(int fd) {
        update(() -> {
            closedFds.add(fd);
            knotes.keySet().removeIf(k -> k.filter != platform.evfiltUser && k.ident == fd);
        });
    }

    /** Makes the next {@code EV_ADD} of this filter on {@code fd} fail with {@code errno}. */
    void failAdd(int fd, int filter, int errno) {
        update(() -> addFailures.put(new Key(fd, filter), errno));
    }

    /** Adds a raw entry to the next wait's result (for kernel reports the controls above cannot produce). */
    void inject(Kevent event) {
        update(() -> injected.add(event));
    }

    void failNextWait(int errno) {
        update(() -> failNextWaitWith = errno);
    }

    List<Kevent> changes() {
        return locked(() -> List.copyOf(changeLog));
    }

    void clearChanges() {
        update(changeLog::clear);
    }

    /** The timeouts of waiting {@code kevent} calls, in nanoseconds, -1 for "no timeout". */
    List<Long> waitTimeouts() {
        return locked(() -> List.copyOf(waitTimeouts));
    }

    List<Integer> pollTimeouts() {
        return locked(() -> List.copyOf(pollTimeouts));
    }

    /** The live knotes as (ident, filter) pairs with their udata. */
    Map<String, Long> knotes() {
        return locked(() -> {
            Map<String, Long> out = new LinkedHashMap<>();
            knotes.forEach((k, v) -> out.put(k.ident + "/" + k.filter, v.udata));
            return out;
        });
    }

    List<Integer> closedDescriptors() {
        return locked(() -> List.copyOf(closedByClose));
    }

    boolean kqueueClosed() {
        return locked(() -> kqClosed);
    }

    /** Blocks until a thread is waiting inside {@code kevent} or {@code poll}. */
    boolean awaitWaiter(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (waiters == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- KqueueNative ----

    @Override
    public int kqueue() {
        return locked(() -> {
            if (kq >= 0) {
                throw new AssertionError("the poller opened a second kqueue");
            }
            kq = 40;
            return kq;
        });
    }

    @Override
    public int kevent(int kqFd, Pointer changes, int nchanges, Pointer events, int nevents, Pointer timeout) {
        lock.lock();
        try {
            if (kqFd != kq || kqClosed) {
                return -EBADF;
            }
            int out = 0;
            for (int i = 0; i < nchanges; i++) {
                Kevent c = new Kevent(layout.ident(changes, i), layout.filter(changes, i), layout.flags(changes, i),
                        layout.fflags(changes, i), layout.data(changes, i), layout.udata(changes, i));
                changeLog.add(c);
                int err = applyChange(c);
                if ((c.flags & EV_RECEIPT) != 0 || err != 0) {
                    if (out < nevents) {
                        layout.put(events, out++, c.ident, c.filter, c.flags | EV_ERROR, c.fflags, err, c.udata);
                    } else if (err != 0) {
                        return -err;
                    }
                }
            }
            changed.signalAll();
            if (out > 0 || nevents == 0) {
                return out;
            }
            long timeoutNanos = timeout == null ? -1 : timeout.getLong(0) * 1_000_000_000L + timeout.getLong(8);
            waitTimeouts.add(timeoutNanos);
            if (failNextWaitWith != 0) {
                int errno = failNextWaitWith;
                failNextWaitWith = 0;
                return -errno;
            }
            if (!awaitReady(timeoutNanos)) {
                return 0;
            }
            return collect(events, nevents);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -KqueuePlatform.EINTR;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int poll(Pointer fds, int nfds, int timeoutMillis) {
        lock.lock();
        try {
            if (nfds != 1 || fds.getInt(0) != kq || fds.getShort(4) != KqueuePlatform.POLLIN) {
                throw new AssertionError("expected one pollfd {kq, POLLIN}");
            }
            pollTimeouts.add(timeoutMillis);
            boolean ready = awaitReady(timeoutMillis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            fds.setShort(6, ready ? KqueuePlatform.POLLIN : 0);
            return ready ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -KqueuePlatform.EINTR;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int close(int fd) {
        return locked(() -> {
            closedByClose.add(fd);
            if (fd == kq) {
                kqClosed = true;
                changed.signalAll();
            }
            return 0;
        });
    }

    // ---- kernel model ----

    private int applyChange(Kevent c) {
        Key key = new Key(c.ident, c.filter);
        if (c.filter == platform.evfiltUser) {
            Knote k = knotes.get(key);
            if ((c.flags & EV_ADD) != 0) {
                if (k == null) {
                    k = new Knote(c.udata, (c.flags & EV_CLEAR) != 0);
                    knotes.put(key, k);
                }
            }
            if (k == null) {
                return ENOENT;
            }
            if ((c.fflags & NOTE_TRIGGER) != 0) {
                k.triggered = true;
            }
            return 0;
        }
        if (c.filter != EVFILT_READ && c.filter != EVFILT_WRITE) {
            return 22; // EINVAL
        }
        if (closedFds.contains((int) c.ident)) {
            return EBADF;
        }
        if ((c.flags & EV_ADD) != 0) {
            Integer failure = addFailures.remove(key);
            if (failure != null) {
                return failure;
            }
            Knote k = knotes.get(key);
            if (k == null) {
                knotes.put(key, new Knote(c.udata, (c.flags & EV_CLEAR) != 0));
            } else {
                k.udata = c.udata;
            }
            return 0;
        }
        if ((c.flags & EV_DELETE) != 0) {
            return knotes.remove(key) == null ? ENOENT : 0;
        }
        return 22;
    }

    private boolean anyReady() {
        if (!injected.isEmpty()) {
            return true;
        }
        for (Map.Entry<Key, Knote> e : knotes.entrySet()) {
            if (isReady(e.getKey(), e.getValue())) {
                return true;
            }
        }
        return false;
    }

    private boolean isReady(Key key, Knote k) {
        int fd = (int) key.ident;
        if (key.filter == platform.evfiltUser) {
            return k.triggered;
        }
        if (eof.containsKey(fd)) {
            return true;
        }
        return key.filter == EVFILT_READ ? readable.contains(fd) : writable.contains(fd);
    }

    private int collect(Pointer events, int nevents) {
        int out = 0;
        while (!injected.isEmpty() && out < nevents) {
            Kevent e = injected.remove(0);
            layout.put(events, out++, e.ident, e.filter, e.flags, e.fflags, e.data, e.udata);
        }
        for (Map.Entry<Key, Knote> e : knotes.entrySet()) {
            if (out == nevents) {
                break;
            }
            Key key = e.getKey();
            Knote k = e.getValue();
            if (!isReady(key, k)) {
                continue;
            }
            int flags = 0;
            int fflags = 0;
            if (key.filter == platform.evfiltUser) {
                if (k.clear) {
                    k.triggered = false;
                }
            } else if (eof.containsKey((int) key.ident)) {
                flags |= EV_EOF;
                fflags = eof.get((int) key.ident);
            }
            layout.put(events, out++, key.ident, key.filter, flags, fflags, 0, k.udata);
        }
        return out;
    }

    private boolean awaitReady(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        waiters++;
        changed.signalAll();
        try {
            while (!anyReady() && !kqClosed) {
                if (timeoutNanos < 0) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    changed.awaitNanos(left);
                }
            }
            return anyReady();
        } finally {
            waiters--;
        }
    }

    private static void toggle(Set<Integer> set, int fd, boolean on) {
        if (on) {
            set.add(fd);
        } else {
            set.remove(fd);
        }
    }

    private void update(Runnable r) {
        lock.lock();
        try {
            r.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }
}

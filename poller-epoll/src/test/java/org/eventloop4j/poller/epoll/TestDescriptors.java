package org.eventloop4j.poller.epoll;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Real descriptors for tests: pipes, socket pairs, eventfds, through a test-only JNA binding. Every descriptor
 * it creates is closed by {@link #close()} unless the test closed it already through {@link #closeFd(int)}.
 * Creating and closing descriptors is for the test thread only; {@link #drain} may also run on one other thread
 * (a loop thread) while the test thread writes.
 */
final class TestDescriptors implements AutoCloseable {
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SHUT_WR = 1;

    private final Set<Integer> open = new LinkedHashSet<>();
    private final Memory pair = new Memory(8);
    /** Source of writes; its content is irrelevant. */
    private final Memory io = new Memory(65536);
    /** Target of {@link #drain}, separate from {@link #io} because a loop thread may drain while the test writes. */
    private final Memory readBuffer = new Memory(65536);

    /** A pipe: {@code [0]} is the read end, {@code [1]} the write end; both non-blocking. */
    int[] pipe() throws IOException {
        check(Libc.pipe2(pair, O_NONBLOCK | O_CLOEXEC), "pipe2");
        return track(pair.getInt(0), pair.getInt(4));
    }

    /** A connected pair of non-blocking Unix stream sockets. */
    int[] socketPair() throws IOException {
        check(Libc.socketpair(AF_UNIX, SOCK_STREAM | O_NONBLOCK | O_CLOEXEC, 0, pair), "socketpair");
        return track(pair.getInt(0), pair.getInt(4));
    }

    /** A non-blocking eventfd with the given initial counter (readable when it is not 0). */
    int eventFd(int initial) throws IOException {
        int fd = Libc.eventfd(initial, O_NONBLOCK | O_CLOEXEC);
        check(fd, "eventfd");
        open.add(fd);
        return fd;
    }

    /** Opens a path read-only. */
    int openReadOnly(String path) throws IOException {
        int fd = Libc.open(path, O_CLOEXEC);
        check(fd, "open " + path);
        open.add(fd);
        return fd;
    }

    /** Duplicates a descriptor; both refer to the same open file description. */
    int dup(int fd) throws IOException {
        int copy = Libc.dup(fd);
        check(copy, "dup");
        open.add(copy);
        return copy;
    }

    /** Writes {@code n} bytes (at most 64 KiB) and returns how many were written, 0 if the call would block. */
    int write(int fd, int n) throws IOException {
        long written = Libc.write(fd, io, n);
        if (written < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            throw new IOException("write: " + Errno.describe(errno));
        }
        return (int) written;
    }

    /** Adds 1 to an eventfd counter. */
    void signalEventFd(int fd) throws IOException {
        io.setLong(0, 1);
        if (Libc.write(fd, io, 8) != 8) {
            throw new IOException("eventfd write: " + Errno.describe(Native.getLastError()));
        }
    }

    /** Reads until the descriptor would block or reports end of file; returns the number of bytes read. */
    long drain(int fd) throws IOException {
        long total = 0;
        for (;;) {
            long n = Libc.read(fd, readBuffer, readBuffer.size());
            if (n == 0) {
                return total;
            }
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EAGAIN) {
                    return total;
                }
                throw new IOException("read: " + Errno.describe(errno));
            }
            total += n;
        }
    }

    /** Fills a socket or pipe until a write would block; returns the number of bytes written. */
    long fill(int fd) throws IOException {
        long total = 0;
        for (int w; (w = write(fd, (int) io.size())) > 0; ) {
            total += w;
        }
        return total;
    }

    void shutdownWrite(int fd) throws IOException {
        check(Libc.shutdown(fd, SHUT_WR), "shutdown");
    }

    /** Closes a descriptor now. */
    void closeFd(int fd) throws IOException {
        open.remove(fd);
        check(Libc.close(fd), "close");
    }

    @Override
    public void close() {
        for (int fd : open) {
            Libc.close(fd);
        }
        open.clear();
    }

    private int[] track(int a, int b) {
        open.add(a);
        open.add(b);
        return new int[] {a, b};
    }

    private static void check(long result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + ": " + Errno.describe(Native.getLastError()));
        }
    }

    /** The test-only direct-mapped libc calls. */
    static final class Libc {
        static {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        }

        private Libc() {
        }

        static native int pipe2(Pointer fds, int flags);

        static native int socketpair(int domain, int type, int protocol, Pointer sv);

        static native int eventfd(int initial, int flags);

        static native int open(String path, int flags);

        static native int dup(int fd);

        static native long write(int fd, Pointer buf, long count);

        static native long read(int fd, Pointer buf, long count);

        static native int shutdown(int fd, int how);

        static native int close(int fd);

        static native Pointer signal(int signum, Pointer handler);

        static native int getpid();

        static native int gettid();

        static native int tgkill(int tgid, int tid, int sig);
    }

    /** A {@link org.eventloop4j.spi.ReadySink} that records every report in order. */
    static final class Reports implements org.eventloop4j.spi.ReadySink {
        final List<long[]> all = new ArrayList<>();

        @Override
        public void ready(long token, int readyEvents) {
            all.add(new long[] {token, readyEvents});
        }

        /** The ready set reported for a token in the recorded reports, 0 if none. */
        int eventsOf(long token) {
            int events = 0;
            for (long[] r : all) {
                if (r[0] == token) {
                    events |= (int) r[1];
                }
            }
            return events;
        }

        Set<Long> tokens() {
            Set<Long> tokens = new LinkedHashSet<>();
            for (long[] r : all) {
                tokens.add(r[0]);
            }
            return tokens;
        }

        void clear() {
            all.clear();
        }
    }
}

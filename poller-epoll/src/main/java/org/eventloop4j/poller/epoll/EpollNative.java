package org.eventloop4j.poller.epoll;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls of the epoll poller, bound with JNA <em>direct mapping</em>.
 *
 * <p>Every argument is an {@code int}, a {@code long} or a {@link Pointer} into a buffer the caller allocated once,
 * which keeps each call on JNA's fast path (no per-call conversion, no argument objects). Failures return -1 and
 * leave {@code errno} in {@link Native#getLastError()}: JNA saves {@code errno} after every direct-mapped call, per
 * thread, so it must be read on the calling thread before the next native call.
 *
 * <p>{@code size_t}, {@code ssize_t} and {@code nfds_t} are declared {@code long}: this binding is for LP64 only,
 * which {@link EpollPollerProvider#isSupported()} checks before the class is initialized.
 *
 * <p>Loading this class loads JNA's native stub and libc; a failure surfaces as an {@link Error} from class
 * initialization, which the provider catches.
 */
final class EpollNative {
    static final int EPOLL_CLOEXEC = 02000000;
    static final int EFD_CLOEXEC = 02000000;
    static final int EFD_NONBLOCK = 04000;

    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;

    static final int EPOLLIN = 0x001;
    static final int EPOLLPRI = 0x002;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;

    /** {@code poll(2)}: there is data to read. */
    static final short POLLIN = 0x001;

    static {
        Native.register(EpollNative.class, Platform.C_LIBRARY_NAME);
    }

    private EpollNative() {
    }

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

    static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);

    static native int eventfd(int initialValue, int flags);

    static native long write(int fd, Pointer buffer, long count);

    static native int close(int fd);

    static native int poll(Pointer fds, long nfds, int timeoutMillis);
}

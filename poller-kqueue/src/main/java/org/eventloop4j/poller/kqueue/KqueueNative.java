package org.eventloop4j.poller.kqueue;

import com.sun.jna.Pointer;

/**
 * The four system calls the kqueue poller makes, in raw-syscall style: each returns a non-negative result or
 * {@code -errno}. Production: {@link KqueueSyscalls} (JNA direct mapping). Tests: an in-memory fake kernel that
 * reads and writes the same native buffers with the real {@code struct kevent} layout.
 *
 * <p>Implementations must be safe for concurrent calls from several threads ({@code kevent} from the loop thread and
 * from a waking thread, {@code poll} from an await thread), as the kernel is.
 */
interface KqueueNative {

    /**
     * {@code kqueue(2)}.
     *
     * @return the new kqueue descriptor, or {@code -errno}
     */
    int kqueue();

    /**
     * {@code kevent(2)}.
     *
     * @param kq the kqueue descriptor
     * @param changes {@code nchanges} {@code struct kevent}s to apply, or {@code null}
     * @param nchanges how many changes
     * @param events room for {@code nevents} {@code struct kevent}s to receive, or {@code null}
     * @param nevents how many events fit
     * @param timeout a {@code struct timespec}, or {@code null} to wait without limit
     * @return the number of events written, or {@code -errno}
     */
    int kevent(int kq, Pointer changes, int nchanges, Pointer events, int nevents, Pointer timeout);

    /**
     * {@code poll(2)}.
     *
     * @param fds {@code nfds} {@code struct pollfd}s
     * @param nfds how many
     * @param timeoutMillis negative to wait without limit
     * @return the number of ready entries, or {@code -errno}
     */
    int poll(Pointer fds, int nfds, int timeoutMillis);

    /**
     * {@code close(2)}.
     *
     * @param fd the descriptor
     * @return 0, or {@code -errno}
     */
    int close(int fd);
}

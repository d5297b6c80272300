package org.eventloop4j.poller.kqueue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The production {@link KqueueNative}: JNA <em>direct mapping</em> of libc's {@code kqueue}, {@code kevent},
 * {@code poll} and {@code close}, with primitive and {@link Pointer} arguments only (no per-call conversion).
 *
 * <p>This class is loaded only by {@link KqueuePollerProvider} after it has checked the operating system, so
 * {@link Native#register(Class, String)} never runs on a platform without {@code kevent}. The static initialiser
 * records that it ran in {@link KqueuePollerProvider#nativeBindingInitialised}, which a test checks stays
 * {@code false} on Linux. {@code errno} is read with {@link Native#getLastError()}, which JNA saves after every native
 * call.
 */
final class KqueueSyscalls implements KqueueNative {

    private static final KqueueSyscalls INSTANCE;

    static {
        KqueuePollerProvider.nativeBindingInitialised = true;
        Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        INSTANCE = new KqueueSyscalls();
    }

    /** The direct-mapped functions; the method names are the C symbols. */
    private static final class Libc {
        private Libc() {
        }

        static native int kqueue();

        static native int kevent(int kq, Pointer changelist, int nchanges, Pointer eventlist, int nevents,
                Pointer timeout);

        static native int poll(Pointer fds, int nfds, int timeout);

        static native int close(int fd);
    }

    private KqueueSyscalls() {
    }

    /**
     * Returns the binding, registering the native methods on first use.
     *
     * @return the production native layer
     * @throws UnsatisfiedLinkError if libc lacks one of the functions
     */
    static KqueueNative binding() {
        return INSTANCE;
    }

    @Override
    public int kqueue() {
        int r = Libc.kqueue();
        return r >= 0 ? r : -Native.getLastError();
    }

    @Override
    public int kevent(int kq, Pointer changes, int nchanges, Pointer events, int nevents, Pointer timeout) {
        int r = Libc.kevent(kq, changes, nchanges, events, nevents, timeout);
        return r >= 0 ? r : -Native.getLastError();
    }

    @Override
    public int poll(Pointer fds, int nfds, int timeoutMillis) {
        int r = Libc.poll(fds, nfds, timeoutMillis);
        return r >= 0 ? r : -Native.getLastError();
    }

    @Override
    public int close(int fd) {
        int r = Libc.close(fd);
        return r >= 0 ? r : -Native.getLastError();
    }
}

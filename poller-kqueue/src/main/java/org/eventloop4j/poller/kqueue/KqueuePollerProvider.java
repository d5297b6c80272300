package org.eventloop4j.poller.kqueue;

import java.io.IOException;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.PollerProvider;

/**
 * Provides the {@code "kqueue"} poller (priority 100) on 64-bit macOS and FreeBSD.
 *
 * <p>Construction does nothing. {@link #isSupported()} first recognises the platform from system properties only;
 * on any other system (Linux, Windows, OpenBSD, NetBSD, 32-bit) it returns {@code false} without loading JNA's native
 * library or the binding class. On a recognised system it links the binding once (JNA direct mapping of libc) and
 * reports whether that worked; the outcome is cached. On JDK 24 and newer, run with
 * {@code --enable-native-access=com.sun.jna} (module path) or {@code ALL-UNNAMED} (class path) to silence JNA's
 * native-access warning.
 */
public final class KqueuePollerProvider implements PollerProvider {

    /** Set by {@link KqueueSyscalls}' static initialiser; lets a test prove the binding was never touched. */
    static volatile boolean nativeBindingInitialised;

    private static final Object LOCK = new Object();
    private static Boolean linked; // guarded by LOCK
    private static Throwable linkFailure; // guarded by LOCK

    /** Creates the provider; cheap, touches nothing native. */
    public KqueuePollerProvider() {
    }

    @Override
    public String name() {
        return "kqueue";
    }

    @Override
    public boolean isSupported() {
        return KqueuePlatform.current() != null && link();
    }

    @Override
    public int priority() {
        return 100;
    }

    /**
     * Opens a kqueue poller.
     *
     * @throws UnsupportedOperationException on a platform this provider does not serve, with the reason
     * @throws IOException if {@code kqueue()} fails
     */
    @Override
    public Poller open() throws IOException {
        KqueuePlatform platform = KqueuePlatform.current();
        if (platform == null) {
            throw new UnsupportedOperationException("the kqueue poller serves 64-bit macOS and FreeBSD; this is "
                    + System.getProperty("os.name") + " " + System.getProperty("os.version") + " on "
                    + System.getProperty("os.arch"));
        }
        if (!link()) {
            UnsupportedOperationException e = new UnsupportedOperationException(
                    "the kqueue poller could not bind libc through JNA: " + linkFailure);
            e.initCause(linkFailure);
            throw e;
        }
        return new KqueuePoller(KqueueSyscalls.binding(), platform, KqueuePoller.DEFAULT_EVENT_CAPACITY);
    }

    /** Links the binding once; only called on a recognised platform. Never throws. */
    private static boolean link() {
        synchronized (LOCK) {
            if (linked == null) {
                try {
                    KqueueSyscalls.binding();
                    linked = Boolean.TRUE;
                } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, IllegalCallerException...
                    linkFailure = t;
                    linked = Boolean.FALSE;
                }
            }
            return linked;
        }
    }

    @Override
    public String toString() {
        return "KqueuePollerProvider[kqueue, priority 100]";
    }
}

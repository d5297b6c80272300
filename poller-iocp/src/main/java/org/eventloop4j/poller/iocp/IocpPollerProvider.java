package org.eventloop4j.poller.iocp;

import java.io.IOException;
import java.util.Locale;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.PollerProvider;

/**
 * Provides the {@code "iocp"} poller (priority 100) on 64-bit Windows.
 *
 * <p>Construction does nothing. {@link #isSupported()} checks {@code os.name} and {@code os.arch} first; elsewhere
 * it returns {@code false} without loading JNA's native library or the binding class. On Windows it links the binding
 * once (JNA direct mapping of kernel32, ntdll and ws2_32) and reports whether that worked. Registered descriptors
 * must be sockets ({@code SOCKET} handles narrowed to {@code int}); other handles are refused.
 */
public final class IocpPollerProvider implements PollerProvider {

    /** Set by {@link IocpSyscalls}' static initialiser; lets a test prove the binding was never touched. */
    static volatile boolean nativeBindingInitialised;

    private static final Object LOCK = new Object();
    private static Boolean linked; // guarded by LOCK
    private static Throwable linkFailure; // guarded by LOCK

    /** Creates the provider; cheap, touches nothing native. */
    public IocpPollerProvider() {
    }

    @Override
    public String name() {
        return "iocp";
    }

    @Override
    public boolean isSupported() {
        return servesPlatform(System.getProperty("os.name"), System.getProperty("os.arch")) && link();
    }

    @Override
    public int priority() {
        return 100;
    }

    /**
     * Opens an IOCP poller.
     *
     * @throws UnsupportedOperationException off 64-bit Windows, with the reason
     * @throws IOException if Winsock or the completion port cannot be set up
     */
    @Override
    public Poller open() throws IOException {
        if (!servesPlatform(System.getProperty("os.name"), System.getProperty("os.arch"))) {
            throw new UnsupportedOperationException("the IOCP poller serves 64-bit Windows; this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        if (!link()) {
            UnsupportedOperationException e = new UnsupportedOperationException(
                    "the IOCP poller could not bind kernel32/ntdll/ws2_32 through JNA: " + linkFailure);
            e.initCause(linkFailure);
            throw e;
        }
        return new IocpPoller(IocpSyscalls.binding(), IocpPoller.DEFAULT_ENTRY_CAPACITY);
    }

    /** Whether the platform is one this provider serves, from the standard properties only. */
    static boolean servesPlatform(String osName, String osArch) {
        if (osName == null || osArch == null) {
            return false;
        }
        String arch = osArch.toLowerCase(Locale.ROOT);
        return osName.toLowerCase(Locale.ROOT).startsWith("windows")
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    private static boolean link() {
        synchronized (LOCK) {
            if (linked == null) {
                try {
                    IocpSyscalls.binding();
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
        return "IocpPollerProvider[iocp, priority 100]";
    }
}

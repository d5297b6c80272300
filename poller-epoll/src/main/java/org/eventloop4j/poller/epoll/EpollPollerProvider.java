package org.eventloop4j.poller.epoll;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.util.Set;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.PollerProvider;

/**
 * Provides the Linux epoll {@link Poller}, named {@code "epoll"}, priority 100.
 *
 * <p>Found by {@link java.util.ServiceLoader} on the module path ({@code provides} in {@code module-info}) and on
 * the class path ({@code META-INF/services}). Constructing it touches no native code. {@link #isSupported()}
 * checks the operating system name first, so on other platforms JNA is never loaded; on Linux it binds the libc
 * calls once and opens and closes one epoll descriptor, and caches the answer. It is {@code true} on 64-bit Linux
 * for x86-64, AArch64, RISC-V 64, little-endian POWER64, s390x and LoongArch64, whose {@code errno} and flag
 * values this module uses.
 *
 * <p>On JDK 24 and later, JNA needs native access: {@code --enable-native-access=com.sun.jna} when JNA is on the
 * module path, {@code --enable-native-access=ALL-UNNAMED} on the class path. Without it the JVM prints a warning;
 * with {@code --illegal-native-access=deny} binding fails and this provider reports itself unsupported.
 */
public final class EpollPollerProvider implements PollerProvider {

    private static final Set<String> SUPPORTED_ARCHS =
            Set.of("x86-64", "aarch64", "riscv64", "ppc64le", "s390x", "loongarch64");

    /** Creates the provider; cheap, and safe on every platform. */
    public EpollPollerProvider() {
    }

    /** @return {@code "epoll"} */
    @Override
    public String name() {
        return "epoll";
    }

    /**
     * Whether epoll can be used here. Never throws.
     *
     * @return {@code true} on supported 64-bit Linux when the native calls bind and {@code epoll_create1} works
     */
    @Override
    public boolean isSupported() {
        return Support.UNSUPPORTED_REASON == null;
    }

    /** @return 100, the priority of native pollers */
    @Override
    public int priority() {
        return 100;
    }

    /**
     * Opens an epoll poller that reports up to 1024 descriptors per poll.
     *
     * @return a new poller, owned by one loop
     * @throws IOException if the kernel refuses an epoll descriptor or an eventfd (for example {@code EMFILE})
     * @throws UnsupportedOperationException with the reason if {@link #isSupported()} is false
     */
    @Override
    public Poller open() throws IOException {
        String reason = Support.UNSUPPORTED_REASON;
        if (reason != null) {
            throw new UnsupportedOperationException("the epoll poller is not supported here: " + reason);
        }
        return new EpollPoller(EpollEventLayout.forArch(Platform.ARCH), EpollPoller.DEFAULT_MAX_EVENTS);
    }

    @Override
    public String toString() {
        return "EpollPollerProvider[name=epoll, priority=100, supported=" + isSupported() + "]";
    }

    /** Probes once, on first use (the holder idiom: class initialization publishes the result). */
    private static final class Support {
        /** {@code null} if supported, else why not. */
        static final String UNSUPPORTED_REASON = probe(System.getProperty("os.name", ""));

        private Support() {
        }
    }

    /**
     * Checks whether epoll works here. Loads JNA only once the operating system is known to be Linux.
     *
     * @param os the {@code os.name} to judge
     * @return {@code null} if supported, else the reason
     */
    static String probe(String os) {
        if (!os.startsWith("Linux")) {
            return "epoll exists only on Linux (os.name is \"" + os + "\")";
        }
        try {
            if (Native.POINTER_SIZE != 8) {
                return "only 64-bit JVMs are supported (pointer size " + Native.POINTER_SIZE + ")";
            }
            if (!SUPPORTED_ARCHS.contains(Platform.ARCH)) {
                return "architecture " + Platform.ARCH + " is not one of " + SUPPORTED_ARCHS;
            }
            int epfd = EpollNative.epoll_create1(EpollNative.EPOLL_CLOEXEC);
            if (epfd < 0) {
                return "epoll_create1 failed: " + Errno.describe(Native.getLastError());
            }
            EpollNative.close(epfd);
            return null;
        } catch (Throwable t) {
            return "JNA could not bind the libc calls: " + t;
        }
    }
}

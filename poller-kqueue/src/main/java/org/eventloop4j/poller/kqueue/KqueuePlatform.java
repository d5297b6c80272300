package org.eventloop4j.poller.kqueue;

import java.util.Locale;

/**
 * The constants that differ between the kqueue systems this poller serves, and the detection of the running one.
 *
 * <p>Sources, read for this code:
 * <ul>
 *   <li>macOS: apple-oss-distributions/xnu {@code bsd/sys/event.h}: {@code EVFILT_READ (-1)},
 *       {@code EVFILT_WRITE (-2)}, {@code EVFILT_USER (-10)}; {@code EV_ADD 0x0001}, {@code EV_DELETE 0x0002},
 *       {@code EV_ENABLE 0x0004}, {@code EV_CLEAR 0x0020}, {@code EV_RECEIPT 0x0040}, {@code EV_ERROR 0x4000},
 *       {@code EV_EOF 0x8000}, {@code NOTE_TRIGGER 0x01000000}.</li>
 *   <li>FreeBSD: freebsd/freebsd-src {@code sys/sys/event.h}: {@code EVFILT_READ (-1)}, {@code EVFILT_WRITE (-2)},
 *       {@code EVFILT_USER (-11)}; the same {@code EV_*} values and {@code NOTE_TRIGGER 0x01000000};
 *       {@code struct kevent} grew {@code ext[4]} in FreeBSD 12 ({@code struct kevent_freebsd11} is the old one).</li>
 * </ul>
 * Not served: OpenBSD (its {@code sys/sys/event.h} in openbsd/src has no {@code EVFILT_USER} in the versions read,
 * and a 32-bit {@code ident} in old releases) and NetBSD (unsigned filter numbers starting at 0, 32-bit
 * {@code filter}/{@code flags} fields, and {@code kevent} renamed to {@code __kevent50}). Both would need their own
 * layout and constants, verified on the system.
 */
enum KqueuePlatform {
    /** macOS (Darwin), 64-bit. */
    MACOS(-10, KeventLayout.COMPACT),
    /** FreeBSD 11 and older, 64-bit. */
    FREEBSD_11(-11, KeventLayout.COMPACT),
    /** FreeBSD 12 and newer, 64-bit. */
    FREEBSD_12(-11, KeventLayout.EXTENDED);

    // Shared values (see the class comment for the headers).
    static final int EVFILT_READ = -1;
    static final int EVFILT_WRITE = -2;
    static final int EV_ADD = 0x0001;
    static final int EV_DELETE = 0x0002;
    static final int EV_ENABLE = 0x0004;
    static final int EV_CLEAR = 0x0020;
    static final int EV_RECEIPT = 0x0040;
    static final int EV_ERROR = 0x4000;
    static final int EV_EOF = 0x8000;
    static final int NOTE_TRIGGER = 0x01000000;

    /** {@code POLLIN} from {@code sys/poll.h}, 0x0001 on macOS and FreeBSD. */
    static final short POLLIN = 0x0001;

    // errno values, identical on macOS (xnu bsd/sys/errno.h) and FreeBSD (sys/sys/errno.h).
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;

    final int evfiltUser;
    final KeventLayout layout;

    KqueuePlatform(int evfiltUser, KeventLayout layout) {
        this.evfiltUser = evfiltUser;
        this.layout = layout;
    }

    /**
     * Recognises a platform from the standard system properties, without touching native code.
     *
     * @param osName {@code os.name}
     * @param osVersion {@code os.version} (for FreeBSD, for example {@code "13.2-RELEASE"})
     * @param osArch {@code os.arch}
     * @return the platform, or {@code null} if this poller does not serve it
     */
    static KqueuePlatform detect(String osName, String osVersion, String osArch) {
        if (osName == null || osArch == null || !is64Bit(osArch)) {
            return null;
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac os x") || os.startsWith("macos") || os.startsWith("darwin")) {
            return MACOS;
        }
        if (os.startsWith("freebsd")) {
            return majorVersion(osVersion) >= 12 ? FREEBSD_12 : FREEBSD_11;
        }
        return null;
    }

    /**
     * Detects the running platform.
     *
     * @return the platform, or {@code null}
     */
    static KqueuePlatform current() {
        return detect(System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    private static boolean is64Bit(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64") || arch.equals("arm64")
                || arch.equals("ppc64") || arch.equals("ppc64le") || arch.equals("riscv64");
    }

    /** The leading number of a version string; 0 if there is none (treated as an old release). */
    static int majorVersion(String version) {
        if (version == null) {
            return 0;
        }
        int value = 0;
        int i = 0;
        while (i < version.length() && Character.isDigit(version.charAt(i)) && value < 100_000) {
            value = value * 10 + (version.charAt(i) - '0');
            i++;
        }
        return value;
    }
}

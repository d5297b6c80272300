package org.eventloop4j;

/**
 * Readiness bits shared by the loop's I/O API and the {@link org.eventloop4j.spi.Poller} SPI.
 *
 * <p>An <em>interest set</em> passed when registering is a combination of {@link #READ} and {@link #WRITE}.
 * A <em>ready set</em> delivered to a handler may also carry {@link #ERROR} and {@link #HANGUP}, which are
 * always reported whether or not they were asked for, as epoll and kqueue do.
 */
public final class IoEvents {
    /** The descriptor has data to read (or a pending connection to accept). */
    public static final int READ = 1;
    /** The descriptor can accept a write without blocking. */
    public static final int WRITE = 2;
    /** An error condition is pending on the descriptor. */
    public static final int ERROR = 4;
    /** The peer closed its end (or the descriptor hung up). */
    public static final int HANGUP = 8;
    /** All bits an interest set may contain. */
    public static final int INTEREST_MASK = READ | WRITE;
    /** All bits a ready set may contain. */
    public static final int ALL = READ | WRITE | ERROR | HANGUP;

    private IoEvents() {
    }

    /**
     * Checks an interest set.
     *
     * @param interest a combination of {@link #READ} and {@link #WRITE}, or 0 to pause a registration
     * @return {@code interest}
     * @throws IllegalArgumentException if other bits are set
     */
    public static int checkInterest(int interest) {
        if ((interest & ~INTEREST_MASK) != 0) {
            throw new IllegalArgumentException("interest set may only contain IoEvents.READ and IoEvents.WRITE, got "
                    + toString(interest) + " (0x" + Integer.toHexString(interest) + ")");
        }
        return interest;
    }

    /**
     * Renders a set of bits for messages and logs, for example {@code "READ|HANGUP"}.
     *
     * @param events the bits
     * @return their names joined by {@code |}, or {@code "NONE"}
     */
    public static String toString(int events) {
        if (events == 0) {
            return "NONE";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, events, READ, "READ");
        append(sb, events, WRITE, "WRITE");
        append(sb, events, ERROR, "ERROR");
        append(sb, events, HANGUP, "HANGUP");
        int unknown = events & ~ALL;
        if (unknown != 0) {
            append(sb, unknown, unknown, "0x" + Integer.toHexString(unknown));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int events, int bit, String name) {
        if ((events & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}

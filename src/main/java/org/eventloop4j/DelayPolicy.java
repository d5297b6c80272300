package org.eventloop4j;

/**
 * How a requested timer delay becomes the delay the loop uses.
 */
public enum DelayPolicy {
    /**
     * Node.js (the default): a delay below 1 ms, above 2<sup>31</sup>-1 ms, or NaN becomes 1 ms; fractions are
     * truncated. No nesting clamp.
     */
    NODE {
        @Override
        public long effectiveDelayMillis(double requested, int nestingLevel) {
            return coerceMillis(requested);
        }
    },
    /**
     * The HTML standard's timer initialisation steps: the delay is converted like a WebIDL {@code long} (NaN and
     * infinities become 0, values wrap modulo 2<sup>32</sup>), a negative delay becomes 0, and once the timer
     * nesting level exceeds 5 a delay under 4 ms becomes 4 ms. The nesting level of a timer task is one more than
     * the level of the task that scheduled it (0 outside timer tasks); each repetition of an interval counts.
     */
    HTML {
        @Override
        public long effectiveDelayMillis(double requested, int nestingLevel) {
            long d = toWebIdlLong(requested);
            if (d < 0) {
                d = 0;
            }
            if (nestingLevel > 5 && d < 4) {
                d = 4;
            }
            return d;
        }
    };

    /** The largest delay Node accepts: 2<sup>31</sup>-1 ms. */
    public static final long TIMEOUT_MAX = 2147483647L;

    /**
     * The delay the loop uses for a timer.
     *
     * @param requested the delay the caller asked for, in ms (may be NaN, negative, fractional)
     * @param nestingLevel the timer nesting level of the task scheduling the timer (0 outside timer callbacks)
     * @return the effective delay in ms, not negative
     */
    public abstract long effectiveDelayMillis(double requested, int nestingLevel);

    /**
     * Node's coercion of a timer delay: {@code after *= 1; if (!(after >= 1 && after <= TIMEOUT_MAX)) after = 1},
     * then truncated to whole milliseconds.
     *
     * @param requested the requested delay in ms
     * @return the delay in ms, between 1 and {@link #TIMEOUT_MAX}
     */
    public static long coerceMillis(double requested) {
        if (!(requested >= 1 && requested <= TIMEOUT_MAX)) {
            return 1;
        }
        return (long) requested;
    }

    private static long toWebIdlLong(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return 0;
        }
        double t = v < 0 ? Math.ceil(v) : Math.floor(v);
        double m = t % 4294967296.0;
        if (m < 0) {
            m += 4294967296.0;
        }
        long u = (long) m;
        return u >= 2147483648L ? u - 4294967296L : u;
    }
}

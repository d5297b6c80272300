package org.eventloop4j;

/**
 * The loop's monotonic time source. The default reads {@link System#nanoTime()}; tests (yours and ours) use a
 * {@link ManualClock} to move time by hand and fire timers deterministically, without sleeping.
 */
public interface LoopClock {

    /**
     * @return a monotonic reading in nanoseconds; only differences are meaningful
     */
    long nanoTime();

    /** @return the clock backed by {@link System#nanoTime()} */
    static LoopClock system() {
        return SystemClock.INSTANCE;
    }
}

/** The default clock. */
final class SystemClock implements LoopClock {
    static final SystemClock INSTANCE = new SystemClock();

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "LoopClock.system()";
    }
}

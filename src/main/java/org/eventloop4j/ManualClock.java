package org.eventloop4j;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that only moves when told to, for deterministic tests of timer code (like fake timers in JS test
 * frameworks). A loop built with it never sleeps on a timer deadline: it waits until the clock is advanced or work
 * arrives.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * EventLoop loop = EventLoop.builder().clock(clock).build();
 * loop.setTimeout(() -> System.out.println("fired"), 100);
 * loop.advanceTime(100);   // runs the loop on this thread, firing each timer at its own time
 * }</pre>
 *
 * <p>Thread-safe: {@link #advance} may be called from any thread; loops using this clock are woken.
 */
public final class ManualClock implements LoopClock {
    private volatile long nanos;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** A clock starting at 0. */
    public ManualClock() {
        this(0);
    }

    /** @param startNanos the initial reading */
    public ManualClock(long startNanos) {
        this.nanos = startNanos;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    /**
     * Moves time forward and wakes every loop using this clock.
     *
     * @param millis milliseconds, not negative
     */
    public void advance(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("a clock cannot go backwards: " + millis + " ms");
        }
        advanceNanos(Math.multiplyExact(millis, 1_000_000L));
    }

    /** @param d how far to move, not negative */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go backwards: " + d);
        }
        advanceNanos(d.toNanos());
    }

    synchronized void advanceNanos(long delta) {
        nanos = Math.addExact(nanos, delta);
        for (Runnable l : listeners) {
            l.run();
        }
    }

    synchronized void setNanos(long value) {
        if (value > nanos) {
            nanos = value;
        }
    }

    void addListener(Runnable l) {
        listeners.add(l);
    }

    void removeListener(Runnable l) {
        listeners.remove(l);
    }

    @Override
    public String toString() {
        return "ManualClock[" + nanos + " ns]";
    }
}

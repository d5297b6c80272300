package org.eventloop4j;

import java.util.Objects;

/**
 * Timers that an {@link AbortSignal} cancels, like Node's {@code setTimeout(cb, ms, {signal})} pattern: aborting the
 * signal clears the timer. (For a promise that settles after a delay, see
 * {@link Promise#delay(EventLoop, long, AbortSignal)}.)
 *
 * <pre>{@code
 * AbortController ac = new AbortController(loop);
 * AbortableTimers.setTimeout(loop, () -> System.out.println("late"), 1_000, ac.signal());
 * ac.abort();   // the callback never runs
 * }</pre>
 */
public final class AbortableTimers {

    private AbortableTimers() {
    }

    /**
     * {@link EventLoop#setTimeout} that {@code signal} cancels. Any thread.
     *
     * @param loop the loop
     * @param task the callback
     * @param delayMillis the delay
     * @param signal clears the timer when it aborts
     * @return the timer id, or 0 if the signal had already aborted (nothing was scheduled)
     */
    public static long setTimeout(EventLoop loop, Runnable task, long delayMillis, AbortSignal signal) {
        return schedule(loop, task, delayMillis, signal, false);
    }

    /**
     * {@link EventLoop#setInterval} that {@code signal} cancels. Any thread.
     *
     * @param loop the loop
     * @param task the callback
     * @param delayMillis the period
     * @param signal clears the interval when it aborts
     * @return the timer id, or 0 if the signal had already aborted (nothing was scheduled)
     */
    public static long setInterval(EventLoop loop, Runnable task, long delayMillis, AbortSignal signal) {
        return schedule(loop, task, delayMillis, signal, true);
    }

    private static long schedule(EventLoop loop, Runnable task, long delayMillis, AbortSignal signal,
                                 boolean repeat) {
        Promise.requireLoop(loop);
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(signal, "signal");
        if (signal.aborted()) {
            return 0;
        }
        SignalTimer t = new SignalTimer(loop, task, signal, repeat);
        long id = repeat ? loop.setInterval(t, delayMillis) : loop.setTimeout(t, delayMillis);
        t.id = id;
        signal.addAlgorithm(t);        // runs now, clearing the timer, if the signal aborted meanwhile
        if (t.fired) {
            signal.removeAlgorithm(t); // a one-shot that already fired (set from another thread) needs no step
        }
        return id;
    }

    /** The timer's callback and the signal's abort step in one object. */
    private static final class SignalTimer implements Runnable {
        final EventLoop loop;
        final Runnable task;
        final AbortSignal signal;
        final boolean repeat;
        volatile long id;
        volatile boolean fired;

        SignalTimer(EventLoop loop, Runnable task, AbortSignal signal, boolean repeat) {
            this.loop = loop;
            this.task = task;
            this.signal = signal;
            this.repeat = repeat;
        }

        /** As the timer callback it runs the task; as the abort step (a different thread may call it) it clears. */
        @Override
        public void run() {
            if (signal.aborted()) {
                loop.clearTimeout(id);
                return;
            }
            if (!repeat) {
                fired = true;
                signal.removeAlgorithm(this);
            }
            task.run();
        }
    }
}

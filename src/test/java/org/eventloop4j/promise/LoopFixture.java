package org.eventloop4j.promise;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eventloop4j.EventLoop;
import org.eventloop4j.ManualClock;
import org.eventloop4j.Promise;

/**
 * A loop driven on the test thread (never blocking: {@code runNow()} turns), a {@link ManualClock}, and uncaught
 * exceptions and
 * unhandled rejections collected instead of logged, so tests can assert on them. The loop does not exit when idle,
 * so a test can drive it several times.
 */
final class LoopFixture {
    final ManualClock clock = new ManualClock();
    final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    final List<Promise<?>> unhandled = new CopyOnWriteArrayList<>();
    final List<Promise<?>> handledLater = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final EventLoop loop;
    /** Whether {@link #turns()} fails the test when a callback threw (assertions inside callbacks land there). */
    boolean failOnUncaught = true;

    LoopFixture() {
        loop = EventLoop.builder()
                .clock(clock)
                .uncaughtExceptionHandler((l, t) -> uncaught.add(t))
                .build();
        Promise.onUnhandledRejection(loop, (p, reason) -> unhandled.add(p));
        Promise.onRejectionHandled(loop, handledLater::add);
    }

    /** Runs {@code body} as a task on the loop, then drives the loop until nothing is left (timers excepted). */
    void run(Runnable body) {
        loop.execute(body);
        turns();
    }

    /** Drives the loop, without blocking, until no task, microtask or immediate is left. */
    void turns() {
        for (int i = 0; i < 10 && loop.runNow(); i++) {
            // a few turns: cross-thread hand-offs and immediates take one each
        }
        checkUncaught();
    }

    void checkUncaught() {
        if (failOnUncaught && !uncaught.isEmpty()) {
            AssertionError e = new AssertionError("a callback on the loop threw: " + uncaught.get(0), uncaught.get(0));
            uncaught.clear();
            throw e;
        }
    }

    /** Runs {@code body} on the loop and returns after its checkpoint, leaving later turns undriven. */
    void task(Runnable body) {
        loop.execute(body);
        loop.runNow();
        checkUncaught();
    }

    void log(String entry) {
        log.add(entry);
    }
}

package org.eventloop4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Shared test helpers: a log of events and loops driven on the test thread. */
final class LoopFixture {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
    final ManualClock clock = new ManualClock();

    EventLoop.Builder builder() {
        return EventLoop.builder().exitWhenIdle(true).uncaughtExceptionHandler((l, e) -> uncaught.add(e));
    }

    EventLoop idleExiting() {
        return builder().build();
    }

    EventLoop manual() {
        return builder().clock(clock).build();
    }

    Runnable log(String s) {
        return () -> log.add(s);
    }

    List<String> snapshot() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }
}

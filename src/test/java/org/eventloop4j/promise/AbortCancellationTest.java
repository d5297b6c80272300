package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.AbortableTimers;
import org.eventloop4j.OperationTimeoutException;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** What an {@link AbortSignal} cancels: {@code Promise.delay} and {@link AbortableTimers}. */
class AbortCancellationTest {

    @Test
    void abortingADelayClearsItsTimerAndRejectsWithTheReason() {
        LoopFixture f = new LoopFixture();
        AbortController ac = new AbortController(f.loop);
        RuntimeException reason = new RuntimeException("stop");
        Promise<Void> p = Promise.delay(f.loop, 1_000, ac.signal());
        p.catchError(e -> null);
        f.turns();
        assertThat(f.loop.isAlive()).as("the timer keeps the loop alive").isTrue();
        f.run(() -> ac.abort(reason));
        assertThat(p.reason()).isSameAs(reason);
        assertThat(f.loop.isAlive()).as("the timer was cleared").isFalse();
    }

    @Test
    void aDelayWithAnAbortedSignalIsRejectedAtOnce() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise<Void> p = Promise.delay(f.loop, 1_000, AbortSignal.abort(reason));
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(reason);
        assertThat(f.loop.isAlive()).isFalse();
    }

    @Test
    void aDelayThatFiresIgnoresALaterAbort() {
        LoopFixture f = new LoopFixture();
        AbortController ac = new AbortController(f.loop);
        Promise<Void> p = Promise.delay(f.loop, 10, ac.signal());
        f.turns();
        f.loop.advanceTime(10);
        ac.abort();
        f.turns();
        assertThat(p.state()).isEqualTo(Promise.State.FULFILLED);
    }

    @Test
    void aDelayRacedAgainstAnAbortSignalTimeout() {
        LoopFixture f = new LoopFixture();
        Promise<Void> p = Promise.delay(f.loop, 1_000, AbortSignal.timeout(f.loop, 50));
        p.catchError(e -> null);
        f.turns();
        f.loop.advanceTime(50);
        assertThat(p.reason()).isInstanceOf(OperationTimeoutException.class);
        assertThat(f.loop.isAlive()).isFalse();
    }

    @Test
    void anAbortedTimeoutNeverRuns() {
        LoopFixture f = new LoopFixture();
        AbortController ac = new AbortController(f.loop);
        List<String> ran = new CopyOnWriteArrayList<>();
        long cancelled = AbortableTimers.setTimeout(f.loop, () -> ran.add("cancelled"), 100, ac.signal());
        long kept = AbortableTimers.setTimeout(f.loop, () -> ran.add("kept"), 100, new AbortController().signal());
        assertThat(cancelled).isPositive();
        assertThat(kept).isPositive();
        f.turns();
        ac.abort();
        f.loop.advanceTime(200);
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void anAbortedIntervalStopsRepeating() {
        LoopFixture f = new LoopFixture();
        AbortController ac = new AbortController(f.loop);
        List<Long> ticks = new CopyOnWriteArrayList<>();
        AbortableTimers.setInterval(f.loop, () -> ticks.add(f.loop.nowMillis()), 10, ac.signal());
        f.loop.advanceTime(30);
        assertThat(ticks).hasSize(3);
        ac.abort();
        f.loop.advanceTime(100);
        assertThat(ticks).hasSize(3);
        assertThat(f.loop.isAlive()).isFalse();
    }

    @Test
    void aTimerWithAnAlreadyAbortedSignalIsNotScheduled() {
        LoopFixture f = new LoopFixture();
        long id = AbortableTimers.setTimeout(f.loop, () -> { }, 10, AbortSignal.abort(null));
        assertThat(id).isZero();
        assertThat(f.loop.isAlive()).isFalse();
    }
}

package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** White-box: {@code AbortSignal.any} and settled operations do not leave steps on their inputs. */
class AbortSignalInternalsTest {

    @Test
    void anyStopsListeningToItsOtherInputsOnceAborted() {
        AbortController a = new AbortController();
        AbortController b = new AbortController();
        AbortSignal any = AbortSignal.any(a.signal(), b.signal());
        assertThat(a.signal().algorithmCount()).isEqualTo(1);
        assertThat(b.signal().algorithmCount()).isEqualTo(1);
        a.abort();
        assertThat(any.aborted()).isTrue();
        assertThat(b.signal().algorithmCount()).as("b no longer references the aborted combination").isZero();
    }

    @Test
    void aFiredDelayRemovesItsAbortStep() {
        ManualClock clock = new ManualClock();
        EventLoop loop = EventLoop.builder().clock(clock).build();
        AbortController ac = new AbortController(loop);
        Promise<Void> p = Promise.delay(loop, 10, ac.signal());
        assertThat(ac.signal().algorithmCount()).isEqualTo(1);
        loop.advanceTime(10);
        assertThat(p.state()).isEqualTo(Promise.State.FULFILLED);
        assertThat(ac.signal().algorithmCount()).isZero();
    }

    @Test
    void aFiredAbortableTimeoutRemovesItsAbortStep() {
        ManualClock clock = new ManualClock();
        EventLoop loop = EventLoop.builder().clock(clock).build();
        AbortController ac = new AbortController(loop);
        int[] ran = {0};
        AbortableTimers.setTimeout(loop, () -> ran[0]++, 10, ac.signal());
        assertThat(ac.signal().algorithmCount()).isEqualTo(1);
        loop.advanceTime(10);
        assertThat(ran[0]).isEqualTo(1);
        assertThat(ac.signal().algorithmCount()).isZero();
    }
}

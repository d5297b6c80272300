package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Timers with a manual clock: ids, clearing, intervals, ref/unref, refresh, and both delay policies. */
class TimerTest {
    final LoopFixture f = new LoopFixture();

    @Test
    void idsArePositiveUniqueAndSharedByTimeoutsIntervalsAndImmediates() {
        EventLoop loop = f.manual();
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(loop.setTimeout(() -> { }, 1));
            ids.add(loop.setInterval(() -> { }, 1));
            ids.add(loop.setImmediate(() -> { }));
        }
        assertThat(ids).hasSize(300).allMatch(id -> id > 0);
        loop.close();
    }

    @Test
    void idsAreNeverReusedAfterTimersFire() {
        EventLoop loop = EventLoop.builder().clock(f.clock).build();
        Set<Long> ids = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 10; i++) {
                assertThat(ids.add(loop.setTimeout(() -> { }, 1))).isTrue();
            }
            loop.advanceTime(1);
        }
        assertThat(ids).hasSize(200);
    }

    @Test
    void clearTimeoutCancelsAnIntervalAndClearIntervalATimeout() {
        EventLoop loop = f.manual();
        long interval = loop.setInterval(f.log("interval"), 10);
        long timeout = loop.setTimeout(f.log("timeout"), 10);
        loop.clearTimeout(interval);
        loop.clearInterval(timeout);
        loop.advanceTime(100);
        assertThat(f.log).isEmpty();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void intervalRepeatsAtItsPeriodUntilCleared() {
        EventLoop loop = f.manual();
        List<Long> times = new ArrayList<>();
        long[] id = new long[1];
        id[0] = loop.setInterval(() -> {
            times.add(f.clock.nanoTime() / 1_000_000);
            if (times.size() == 5) {
                loop.clearInterval(id[0]);
            }
        }, 10);
        loop.advanceTime(1000);
        assertThat(times).containsExactly(10L, 20L, 30L, 40L, 50L);
    }

    @Test
    void intervalIsAnchoredToItsScheduleNotToWhenTheLoopGotToIt() {
        // The loop runs late (the clock jumps 7 ms past the first deadline); later repetitions keep the
        // original 10 ms grid instead of drifting by 7 ms.
        EventLoop loop = f.manual();
        List<Long> times = new ArrayList<>();
        loop.setInterval(() -> times.add(f.clock.nanoTime() / 1_000_000), 10);
        f.clock.advance(17);
        loop.runNow();
        loop.advanceTime(23);
        assertThat(times).containsExactly(17L, 20L, 30L, 40L);
        loop.close();
    }

    @Test
    void anIntervalClearedInsideItsOwnCallbackStops() {
        EventLoop loop = f.manual();
        int[] n = {0};
        long[] id = new long[1];
        id[0] = loop.setInterval(() -> {
            n[0]++;
            loop.clearTimeout(id[0]);
        }, 5);
        loop.advanceTime(100);
        assertThat(n[0]).isEqualTo(1);
    }

    @Test
    void unrefTimerLetsAnIdleLoopExitAndRefBringsItBack() {
        EventLoop loop = f.manual();
        long id = loop.setTimeout(f.log("unref'd"), 10);
        loop.unrefTimer(id);
        assertThat(loop.hasRef(id)).isFalse();
        assertThat(loop.isAlive()).isFalse();
        loop.refTimer(id);
        assertThat(loop.hasRef(id)).isTrue();
        assertThat(loop.isAlive()).isTrue();
        loop.advanceTime(10);
        assertThat(f.log).containsExactly("unref'd");
    }

    @Test
    void unrefTimerStillFiresWhileSomethingElseKeepsTheLoopAlive() {
        EventLoop loop = f.manual();
        long id = loop.setTimeout(f.log("unref'd"), 5);
        loop.unrefTimer(id);
        loop.setTimeout(f.log("ref'd"), 10);
        loop.advanceTime(10);
        assertThat(f.log).containsExactly("unref'd", "ref'd");
    }

    @Test
    void runReturnsWhenOnlyUnrefdTimersRemain() {
        EventLoop loop = f.idleExiting();
        long id = loop.setTimeout(f.log("never"), 60_000);
        loop.unrefTimer(id);
        loop.run();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(f.log).isEmpty();
    }

    @Test
    void refreshRestartsTheCountdownFromNow() {
        EventLoop loop = f.manual();
        long id = loop.setTimeout(f.log("fired"), 10);
        loop.advanceTime(8);
        loop.refreshTimer(id);
        loop.advanceTime(8);
        assertThat(f.log).isEmpty();
        loop.advanceTime(2);
        assertThat(f.log).containsExactly("fired");
    }

    @Test
    void nodePolicyCoercesDelays() {
        assertThat(DelayPolicy.coerceMillis(0)).isEqualTo(1);
        assertThat(DelayPolicy.coerceMillis(-5)).isEqualTo(1);
        assertThat(DelayPolicy.coerceMillis(Double.NaN)).isEqualTo(1);
        assertThat(DelayPolicy.coerceMillis(2147483648.0)).isEqualTo(1);
        assertThat(DelayPolicy.coerceMillis(2147483647.0)).isEqualTo(2147483647L);
        assertThat(DelayPolicy.coerceMillis(1.9)).isEqualTo(1);
        assertThat(DelayPolicy.coerceMillis(15.7)).isEqualTo(15);
        assertThat(DelayPolicy.NODE.effectiveDelayMillis(0, 100)).as("no nesting clamp in Node").isEqualTo(1);
    }

    @Test
    void nodePolicyTurnsAZeroDelayIntoOneMillisecond() {
        EventLoop loop = f.manual();
        loop.setTimeout(f.log("zero"), 0);
        loop.runNow();
        assertThat(f.log).isEmpty();
        loop.advanceTime(1);
        assertThat(f.log).containsExactly("zero");
    }

    @Test
    void htmlPolicyConvertsLikeWebIdlAndClampsNegativeToZero() {
        assertThat(DelayPolicy.HTML.effectiveDelayMillis(-10, 0)).isZero();
        assertThat(DelayPolicy.HTML.effectiveDelayMillis(Double.NaN, 0)).isZero();
        assertThat(DelayPolicy.HTML.effectiveDelayMillis(2.9, 0)).isEqualTo(2);
        assertThat(DelayPolicy.HTML.effectiveDelayMillis(2147483648.0, 0)).as("wraps to negative, then 0").isZero();
        assertThat(DelayPolicy.HTML.effectiveDelayMillis(1, 5)).as("level 5 is not clamped").isEqualTo(1);
        assertThat(DelayPolicy.HTML.effectiveDelayMillis(1, 6)).isEqualTo(4);
        assertThat(DelayPolicy.HTML.effectiveDelayMillis(10, 6)).isEqualTo(10);
    }

    @Test
    void htmlPolicyClampsNestedTimeoutsAfterFiveLevels() {
        EventLoop loop = f.builder().clock(f.clock).delayPolicy(DelayPolicy.HTML).build();
        List<Long> times = new ArrayList<>();
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            times.add(f.clock.nanoTime() / 1_000_000);
            if (times.size() < 9) {
                loop.setTimeout(step[0], 0);
            }
        };
        loop.setTimeout(step[0], 0);
        loop.advanceTime(100);
        // Levels 1..5 run back to back (0 ms); the timer scheduled from level 6 onwards waits 4 ms.
        assertThat(times).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 4L, 8L, 12L);
    }

    @Test
    void htmlPolicyCountsEachIntervalRepetitionAsANestingLevel() {
        EventLoop loop = f.builder().clock(f.clock).delayPolicy(DelayPolicy.HTML).build();
        List<Long> times = new ArrayList<>();
        long[] id = new long[1];
        id[0] = loop.setInterval(() -> {
            times.add(f.clock.nanoTime() / 1_000_000);
            if (times.size() == 9) {
                loop.clearInterval(id[0]);
            }
        }, 1);
        loop.advanceTime(100);
        assertThat(times).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 10L, 14L, 18L);
    }

    @Test
    void microtasksOfATimerCallbackAreNotTimerNested() {
        // A timeout scheduled from a promise reaction is not nested in the timer task that queued the reaction.
        EventLoop loop = f.builder().clock(f.clock).delayPolicy(DelayPolicy.HTML).build();
        List<Long> times = new ArrayList<>();
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            times.add(f.clock.nanoTime() / 1_000_000);
            if (times.size() < 8) {
                loop.queueMicrotask(() -> loop.setTimeout(step[0], 0));
            }
        };
        loop.setTimeout(step[0], 0);
        loop.advanceTime(100);
        assertThat(times).containsOnly(0L).hasSize(8);
    }

    @Test
    void advanceTimeFiresTimersScheduledByTimersWithinTheWindow() {
        EventLoop loop = f.manual();
        loop.setTimeout(() -> {
            f.log.add("a@" + f.clock.nanoTime() / 1_000_000);
            loop.setTimeout(() -> f.log.add("b@" + f.clock.nanoTime() / 1_000_000), 20);
        }, 10);
        loop.advanceTime(50);
        assertThat(f.log).containsExactly("a@10", "b@30");
    }

    /** Thousands of timers with random cancels, against a simple model: sort by (deadline, creation order). */
    @Test
    void thousandsOfTimersWithRandomCancelsMatchAModel() {
        EventLoop loop = f.manual();
        Random rnd = new Random(42);
        int n = 5000;
        long[] ids = new long[n];
        long[] due = new long[n];
        boolean[] cancelled = new boolean[n];
        List<Integer> fired = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            due[i] = 1 + rnd.nextInt(500);
            ids[i] = loop.setTimeout(() -> fired.add(k), due[i]);
        }
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(3) == 0) {
                cancelled[i] = true;
                loop.clearTimeout(ids[i]);
            }
        }
        // Cancel some more while time passes, from inside callbacks.
        loop.setTimeout(() -> {
            for (int i = 0; i < n; i += 7) {
                if (!cancelled[i] && due[i] > 250) {
                    cancelled[i] = true;
                    loop.clearTimeout(ids[i]);
                }
            }
        }, 250);
        loop.advanceTime(1000);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!cancelled[i]) {
                expected.add(i);
            }
        }
        // Stable sort by deadline keeps creation order on ties; the canceller at 250 was created last, so timers
        // due at 250 created before it fire before it and are not cancelled by it (their due is not > 250).
        expected.sort((a, b) -> Long.compare(due[a], due[b]));
        assertThat(fired).isEqualTo(expected);
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }
}

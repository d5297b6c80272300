package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import org.junit.jupiter.api.Test;

/**
 * Ordering rules of one turn. Each expected order was checked against Node 20 with the equivalent script
 * (quoted in the test's comment) where Node defines the order.
 */
class OrderingTest {
    final LoopFixture f = new LoopFixture();

    /*
     * setTimeout(() => { log('t1'); Promise.resolve().then(() => log('p1')); process.nextTick(() => log('n1')); });
     * setTimeout(() => log('t2'));
     * Node 20: t1 n1 p1 t2
     */
    @Test
    void checkpointAfterEveryTimerCallbackWithTicksBeforeMicrotasks() {
        EventLoop loop = f.manual();
        loop.setTimeout(() -> {
            f.log.add("t1");
            loop.queueMicrotask(f.log("p1"));
            loop.nextTick(f.log("n1"));
        }, 0);
        loop.setTimeout(f.log("t2"), 0);
        loop.advanceTime(1);
        assertThat(f.log).containsExactly("t1", "n1", "p1", "t2");
    }

    /*
     * Promise.resolve().then(() => { log('p1'); process.nextTick(() => log('n2')); Promise.resolve().then(() => log('p2')); });
     * process.nextTick(() => { log('n1'); Promise.resolve().then(() => log('p3')); });
     * Node 20: n1 p1 p3 p2 n2
     */
    @Test
    void ticksQueuedByMicrotasksWaitUntilTheMicrotaskQueueIsEmpty() {
        EventLoop loop = f.idleExiting();
        loop.execute(() -> {
            loop.queueMicrotask(() -> {
                f.log.add("p1");
                loop.nextTick(f.log("n2"));
                loop.queueMicrotask(f.log("p2"));
            });
            loop.nextTick(() -> {
                f.log.add("n1");
                loop.queueMicrotask(f.log("p3"));
            });
        });
        loop.run();
        assertThat(f.log).containsExactly("n1", "p1", "p3", "p2", "n2");
    }

    @Test
    void microtasksRunBetweenTasksNotAfterTheBatch() {
        EventLoop loop = f.idleExiting();
        loop.execute(() -> {
            f.log.add("a");
            loop.queueMicrotask(f.log("ma"));
        });
        loop.execute(() -> {
            f.log.add("b");
            loop.queueMicrotask(f.log("mb"));
        });
        loop.run();
        assertThat(f.log).containsExactly("a", "ma", "b", "mb");
    }

    @Test
    void equalDeadlinesFireFirstInFirstOut() {
        EventLoop loop = f.manual();
        for (int i = 0; i < 50; i++) {
            loop.setTimeout(f.log("t" + i), 5);
        }
        loop.advanceTime(5);
        assertThat(f.log).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(f.log.get(i)).isEqualTo("t" + i);
        }
    }

    @Test
    void earlierDeadlineFiresFirstRegardlessOfInsertionOrder() {
        EventLoop loop = f.manual();
        loop.setTimeout(f.log("20"), 20);
        loop.setTimeout(f.log("10"), 10);
        loop.setTimeout(f.log("15"), 15);
        loop.advanceTime(30);
        assertThat(f.log).containsExactly("10", "15", "20");
    }

    @Test
    void timerScheduledDuringTimersPhaseNeverFiresInTheSameTurn() {
        // HTML policy lets a delay of 0 stay 0, so the new timer is already due when it is created.
        EventLoop loop = f.builder().clock(f.clock).delayPolicy(DelayPolicy.HTML).build();
        loop.setTimeout(() -> {
            f.log.add("outer");
            loop.setTimeout(f.log("inner"), 0);
        }, 0);
        loop.setTimeout(f.log("sibling"), 0);
        loop.runNow();
        assertThat(f.log).containsExactly("outer", "sibling");
        loop.runNow();
        assertThat(f.log).containsExactly("outer", "sibling", "inner");
    }

    /*
     * In an I/O callback Node always runs setImmediate before setTimeout(0):
     * fs.readFile(__filename, () => { setTimeout(() => log('timeout')); setImmediate(() => log('immediate')); });
     * Node 20: immediate timeout
     */
    @Test
    void immediateBeforeTimeoutWhenScheduledFromIoCallback() throws IOException {
        EventLoop loop = f.idleExiting();
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        Registration[] reg = new Registration[1];
        reg[0] = loop.register(pipe.source(), IoEvents.READ, (r, ev) -> {
            f.log.add("io");
            r.cancel();
            loop.setTimeout(f.log("timeout"), 0);
            loop.setImmediate(f.log("immediate"));
        });
        loop.run();
        assertThat(f.log).containsExactly("io", "immediate", "timeout");
        pipe.source().close();
        pipe.sink().close();
    }

    /*
     * setImmediate(() => { log('i1'); setImmediate(() => log('i3')); process.nextTick(() => log('n')); });
     * setImmediate(() => log('i2'));
     * Node 20: i1 n i2 i3
     */
    @Test
    void immediatesQueuedDuringCheckPhaseRunNextTurn() {
        EventLoop loop = f.idleExiting();
        loop.execute(() -> {
            loop.setImmediate(() -> {
                f.log.add("i1");
                loop.setImmediate(f.log("i3"));
                loop.nextTick(f.log("n"));
            });
            loop.setImmediate(f.log("i2"));
        });
        loop.runNow();
        assertThat(f.log).containsExactly("i1", "n", "i2");
        loop.run();
        assertThat(f.log).containsExactly("i1", "n", "i2", "i3");
    }

    @Test
    void tasksFromTheLoopThreadRunInTheNextPendingPhase() {
        EventLoop loop = f.idleExiting();
        loop.execute(() -> {
            f.log.add("first");
            loop.execute(f.log("nested"));
            loop.setImmediate(f.log("immediate"));
        });
        loop.runNow();
        assertThat(f.log).containsExactly("first", "immediate");
        loop.runNow();
        assertThat(f.log).containsExactly("first", "immediate", "nested");
    }

    @Test
    void phasesOfOneTurnRunInLibuvOrder() {
        EventLoop loop = f.manual();
        loop.execute(() -> {
            loop.setTimeout(f.log("timer"), 1);
            loop.setImmediate(f.log("check"));
            loop.onCloseCallback(f.log("close"));
            loop.execute(f.log("pending"));
        });
        loop.runNow();               // pending phase runs the setup task; check and close follow
        assertThat(f.log).containsExactly("check", "close");
        f.log.clear();
        f.clock.advance(1);
        loop.runNow();
        assertThat(f.log).containsExactly("timer", "pending");
    }

    @Test
    void clearingALaterTimerInsideAnEarlierOneStopsIt() {
        EventLoop loop = f.manual();
        long[] later = new long[1];
        loop.setTimeout(() -> {
            f.log.add("a");
            loop.clearTimeout(later[0]);
        }, 1);
        later[0] = loop.setTimeout(f.log("b"), 1);
        loop.setTimeout(f.log("c"), 1);
        loop.advanceTime(1);
        assertThat(f.log).containsExactly("a", "c");
    }

    @Test
    void clearingAnImmediateFromAnEarlierImmediateStopsIt() {
        EventLoop loop = f.idleExiting();
        long[] second = new long[1];
        loop.execute(() -> {
            loop.setImmediate(() -> {
                f.log.add("1");
                loop.clearImmediate(second[0]);
            });
            second[0] = loop.setImmediate(f.log("2"));
            loop.setImmediate(f.log("3"));
        });
        loop.run();
        assertThat(f.log).containsExactly("1", "3");
    }

    /**
     * Immediate records are reused once they have run or been cleared: a stale id must never reach the record's
     * next owner, and a record cleared while still queued must not be handed out before the check phase drops it.
     */
    @Test
    void clearingAStaleImmediateIdNeverCancelsALaterImmediate() {
        EventLoop loop = f.manual();
        long[] ids = new long[4];
        loop.execute(() -> {
            ids[0] = loop.setImmediate(() -> {
                f.log.add("a");
                // a has run, so its record is free: b and c may reuse it and the one cleared below.
                ids[1] = loop.setImmediate(f.log("b"));
                loop.clearImmediate(ids[0]);          // stale: must not cancel b
                ids[2] = loop.setImmediate(f.log("c"));
                loop.clearImmediate(ids[2]);          // c is cleared while queued ...
                ids[3] = loop.setImmediate(() -> {    // ... and d, queued after it, still runs once
                    f.log.add("d");
                    loop.clearImmediate(ids[1]);      // b has already run: ignored
                    loop.clearImmediate(ids[2]);      // already cleared: ignored
                    loop.setImmediate(f.log("e"));
                });
            });
        });
        loop.run();
        assertThat(f.log).containsExactly("a", "b", "d", "e");
        assertThat(ids).doesNotHaveDuplicates();
    }

    /** Many rounds of set/clear/run through the pooled records, checked against a plain model. */
    @Test
    void pooledImmediatesMatchAModelOverManyRounds() {
        EventLoop loop = f.manual();
        java.util.Random random = new java.util.Random(42);
        java.util.List<Integer> ran = new java.util.ArrayList<>();
        java.util.List<Integer> expected = new java.util.ArrayList<>();
        int[] round = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (round[0]++ == 200) {
                return;
            }
            int n = 1 + random.nextInt(40);
            long[] ids = new long[n];
            boolean[] cleared = new boolean[n];
            for (int i = 0; i < n; i++) {
                int tag = round[0] * 1000 + i;
                ids[i] = loop.setImmediate(() -> ran.add(tag));
            }
            for (int i = 0; i < n; i++) {
                if (random.nextInt(3) == 0) {
                    loop.clearImmediate(ids[i]);
                    cleared[i] = true;
                }
            }
            for (int i = 0; i < n; i++) {
                if (!cleared[i]) {
                    expected.add(round[0] * 1000 + i);
                }
            }
            loop.setImmediate(next[0]);
        };
        loop.execute(next[0]);
        loop.run();
        assertThat(round[0]).isEqualTo(201);
        assertThat(ran).isEqualTo(expected);
    }
}

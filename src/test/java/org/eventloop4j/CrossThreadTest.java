package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Submissions from other threads: nothing lost, per-producer order kept, sleeping loops woken. */
class CrossThreadTest {

    @Test
    void manyProducersLoseNothingAndKeepTheirOwnOrder() throws Exception {
        EventLoop loop = EventLoop.builder().ingressChunkSize(16).build().start();
        int producers = 4;
        int perProducer = 50_000;
        int[] lastSeen = new int[producers];
        java.util.Arrays.fill(lastSeen, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    loop.execute(() -> {
                        if (lastSeen[id] != seq - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeen[id] = seq;
                        done.countDown();
                    });
                }
            }));
        }
        threads.forEach(Thread::start);
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(outOfOrder.get()).isZero();
        loop.close();
    }

    @Test
    void aSleepingLoopIsWokenByEachSubmission() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        for (int i = 0; i < 200; i++) {
            // Wait until the loop is asleep so every submission exercises the wakeup path.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (loop.state() != LoopState.SLEEPING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            loop.execute(() -> ran.complete(loop.inLoop()));
            assertThat(ran.get(10, TimeUnit.SECONDS)).isTrue();
        }
        loop.close();
    }

    @Test
    void timersSetFromAnotherThreadFireOnTheLoopInDeadlineOrder() throws Exception {
        ManualClock clock = new ManualClock();
        EventLoop loop = EventLoop.builder().clock(clock).build().start();
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch fired = new CountDownLatch(3);
        loop.setTimeout(() -> { log.add("30"); fired.countDown(); }, 30);
        loop.setTimeout(() -> { log.add("10"); fired.countDown(); }, 10);
        loop.setTimeout(() -> { log.add("20"); fired.countDown(); }, 20);
        // Make sure the loop has taken the timers in before time moves.
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        loop.execute(() -> barrier.complete(null));
        barrier.get(10, TimeUnit.SECONDS);
        clock.advance(30);
        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(log).containsExactly("10", "20", "30");
        loop.close();
    }

    @Test
    void aTimerFromAnotherThreadWakesALoopSleepingTowardsALaterDeadline() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        loop.setTimeout(() -> { }, 60_000);   // the loop sleeps towards this deadline
        // Proven, not assumed: the owned thread may not even have started yet, and then the second timer would be
        // taken in by its first turn without any wakeup being needed. After this round trip the 60 s timer is in the
        // heap, so the next sleep is towards its deadline.
        CompletableFuture<Void> takenIn = new CompletableFuture<>();
        loop.execute(() -> takenIn.complete(null));
        takenIn.get(10, TimeUnit.SECONDS);
        LoopState seen = awaitState(loop, LoopState.SLEEPING);
        assertThat(seen).as("the loop went to sleep towards the 60 s timer").isEqualTo(LoopState.SLEEPING);
        CountDownLatch fired = new CountDownLatch(1);
        long start = System.nanoTime();
        loop.setTimeout(fired::countDown, 5);
        // Any bound well under the 60 s deadline tells a woken loop from one that slept on; 30 s leaves a loaded
        // machine plenty of margin.
        assertThat(fired.await(30, TimeUnit.SECONDS)).as("fired long before the 60 s deadline").isTrue();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
        loop.close();
    }

    @Test
    void clearTimeoutFromAnotherThreadCancels() throws Exception {
        ManualClock clock = new ManualClock();
        EventLoop loop = EventLoop.builder().clock(clock).build().start();
        AtomicInteger fired = new AtomicInteger();
        long id = loop.setTimeout(fired::incrementAndGet, 10);
        loop.clearTimeout(id);
        CompletableFuture<Void> later = new CompletableFuture<>();
        loop.setTimeout(() -> later.complete(null), 20);
        clock.advance(20);
        later.get(10, TimeUnit.SECONDS);
        assertThat(fired.get()).isZero();
        loop.close();
    }

    @Test
    void clearOnTheLoopOfATimerStillInTheIngressCancelsIt() throws Exception {
        // The timer is created on another thread and cleared on the loop thread before the loop has taken it in.
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        AtomicInteger fired = new AtomicInteger();
        long[] id = new long[1];
        CountDownLatch created = new CountDownLatch(1);
        loop.execute(() -> {
            Thread t = new Thread(() -> {
                id[0] = loop.setTimeout(fired::incrementAndGet, 1);
                created.countDown();
            });
            t.start();
            try {
                created.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.clearTimeout(id[0]);
        });
        loop.run();
        assertThat(fired.get()).isZero();
    }

    @Test
    void executeFromManyThreadsWhileTheLoopSleepsAndWakes() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        int threads = 3;
        int each = 2000;
        CountDownLatch done = new CountDownLatch(threads * each);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    loop.execute(done::countDown);
                    if ((i & 63) == 0) {
                        Thread.yield();
                    }
                }
            }));
        }
        ts.forEach(Thread::start);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        loop.close();
    }

    /** Spins (bounded, 10 s) until the loop reports {@code wanted}; returns the last state seen. */
    private static LoopState awaitState(EventLoop loop, LoopState wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        LoopState s;
        while ((s = loop.state()) != wanted && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return s;
    }
}

package org.eventloop4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Adversarial stress tests of {@link IngressQueue}: a consumer running concurrently with several producers on the
 * smallest chunk size, so that chunks are linked and recycled thousands of times while producers race for slots,
 * for the LINKING right and with {@code close()} from a third thread.
 *
 * <p>Each test runs its threads through a {@link CyclicBarrier} start and bounds every wait (a consumer spinning
 * forever on a slot that will never be written, or a lost wakeup, fails the test by timeout instead of hanging the
 * build). No sleeps: threads hand over with barriers, futures and joins.
 */
class IngressQueueStressTest {

    private static final int CHUNK = 16;

    /** An element that knows who sent it and that it may be consumed only once. */
    private static final class Item {
        final int producer;
        final int index;
        final AtomicBoolean consumed = new AtomicBoolean();

        Item(int producer, int index) {
            this.producer = producer;
            this.index = index;
        }
    }

    /**
     * Catches: a producer writing into a recycled chunk (an ABA on {@code producerChunk}/{@code base}: the element
     * lands in a slot the consumer already passed, so it is lost and the consumer spins forever, or it overwrites a
     * newer element, so one is lost and another reordered), a slot handed to two producers (duplicate or loss), and
     * a consumer that frees a chunk before reading all of it. Producers pause at random so that chunk boundaries
     * are crossed both under contention and one producer at a time.
     */
    @Test
    void recyclingUnderAConcurrentConsumerLosesNothingDuplicatesNothingAndKeepsPerProducerOrder() throws Exception {
        int producers = 3;
        int each = 60_000;
        for (int round = 0; round < 4; round++) {
            IngressQueue q = new IngressQueue(CHUNK);
            CyclicBarrier start = new CyclicBarrier(producers + 1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                threads.add(new Thread(() -> {
                    await(start);
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int i = 0; i < each; i++) {
                        assertThat(q.offer(new Item(id, i))).isTrue();
                        if (rnd.nextInt(64) == 0) {
                            for (int s = rnd.nextInt(200); s > 0; s--) {
                                Thread.onSpinWait();    // let the consumer catch up to an empty queue now and then
                            }
                        }
                    }
                }, "ingress-producer-" + p));
            }
            threads.forEach(Thread::start);
            CompletableFuture<String> consumer = CompletableFuture.supplyAsync(() -> {
                await(start);
                int[] next = new int[producers];
                long total = (long) producers * each;
                for (long got = 0; got < total; ) {
                    Object o = q.poll();
                    if (o == null) {
                        if (q.size() < 0) {
                            return "size() went negative: " + q.size();
                        }
                        Thread.onSpinWait();
                        continue;
                    }
                    Item it = (Item) o;
                    if (!it.consumed.compareAndSet(false, true)) {
                        return "element consumed twice: producer " + it.producer + " #" + it.index;
                    }
                    if (it.index != next[it.producer]) {
                        return "producer " + it.producer + ": expected #" + next[it.producer] + " but got #" + it.index;
                    }
                    next[it.producer]++;
                    got++;
                }
                return q.poll() == null && !q.hasPending() && q.size() == 0 ? "ok" : "extra elements after the last one";
            }, runnable -> new Thread(runnable, "ingress-consumer").start());
            assertThat(consumer.get(30, TimeUnit.SECONDS)).as("round " + round).isEqualTo("ok");
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).isFalse();
            }
        }
    }

    /**
     * {@code EventLoop.close()} closes the ingress from whatever thread calls it, while the loop thread consumes and
     * producers offer. Catches: an offer that returned {@code true} but whose element is never drained (close
     * racing with a linking producer, or a claimed slot dropped), an element drained although its offer returned
     * {@code false}, and a queue that accepts again after having rejected.
     */
    @Test
    void closeFromAThirdThreadAtARandomPointDrainsExactlyTheAcceptedElements() throws Exception {
        int producers = 3;
        int max = 20_000;
        for (int round = 0; round < 60; round++) {
            IngressQueue q = new IngressQueue(CHUNK);
            CyclicBarrier start = new CyclicBarrier(producers + 2);
            int[] accepted = new int[producers];
            AtomicReference<String> producerError = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                threads.add(new Thread(() -> {
                    await(start);
                    int i = 0;
                    while (i < max && q.offer(new Item(id, i))) {
                        i++;
                    }
                    accepted[id] = i;   // published by join()
                    if (i < max) {
                        // rejected once: CLOSED is never cleared, so every later offer must be rejected too
                        for (int k = 0; k < 100; k++) {
                            if (q.offer(new Item(id, -1))) {
                                producerError.set("an offer succeeded after one was rejected");
                            }
                        }
                    }
                }, "ingress-producer-" + p));
            }
            int closeAfterSpins = ThreadLocalRandom.current().nextInt(20_000);
            AtomicBoolean closedByUs = new AtomicBoolean();
            Thread closer = new Thread(() -> {
                await(start);
                for (int s = closeAfterSpins; s > 0; s--) {
                    Thread.onSpinWait();
                }
                closedByUs.set(q.close());
            }, "ingress-closer");
            threads.forEach(Thread::start);
            closer.start();
            AtomicBoolean producersDone = new AtomicBoolean();
            CompletableFuture<int[]> consumer = CompletableFuture.supplyAsync(() -> {
                await(start);
                int[] next = new int[producers];
                for (;;) {
                    boolean done = producersDone.get();   // read before draining: after it, nothing new arrives
                    Object o;
                    while ((o = q.poll()) != null) {
                        Item it = (Item) o;
                        if (it.index != next[it.producer] || !it.consumed.compareAndSet(false, true)) {
                            throw new AssertionError("producer " + it.producer + ": expected #" + next[it.producer]
                                    + " but got #" + it.index);
                        }
                        next[it.producer]++;
                    }
                    if (done) {
                        return next;
                    }
                    Thread.onSpinWait();
                }
            }, runnable -> new Thread(runnable, "ingress-consumer").start());
            closer.join(10_000);
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).isFalse();
            }
            producersDone.set(true);
            int[] consumed = consumer.get(30, TimeUnit.SECONDS);
            assertThat(closedByUs.get()).isTrue();
            assertThat(q.isClosed()).isTrue();
            assertThat(q.offer(new Item(0, -1))).isFalse();
            assertThat(producerError.get()).isNull();
            assertThat(consumed).as("round " + round + ": consumed per producer = accepted per producer")
                    .containsExactly(accepted);
            assertThat(q.hasPending()).isFalse();
        }
    }

    /**
     * The loop's sleep protocol, reproduced on the real queue: the consumer publishes "may sleep" with a volatile
     * write, then checks {@link IngressQueue#hasPending()}; a producer offers (a CAS) and then swaps the word and
     * unparks. The consumer parks without a timeout, so a lost wakeup (a {@code hasPending()} that misses a claimed
     * element, or a missing fence between the offer's CAS and the read of the word) leaves it parked forever and the
     * test fails by timeout. Producers send in short bursts so that most offers find the consumer asleep or about to
     * sleep.
     */
    @Test
    void theSleepProtocolBuiltOnHasPendingNeverLosesAWakeup() throws Exception {
        int producers = 2;
        int bursts = 20_000;
        IngressQueue q = new IngressQueue(CHUNK);
        AtomicLong word = new AtomicLong(-1);           // -1: awake; 1: may be asleep
        AtomicReference<Thread> consumerThread = new AtomicReference<>();
        AtomicLong signals = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(producers + 1);
        CountDownLatch consumerParked = new CountDownLatch(1);
        long total = (long) producers * bursts * 2;
        CompletableFuture<Long> consumer = CompletableFuture.supplyAsync(() -> {
            consumerThread.set(Thread.currentThread());
            await(start);
            long got = 0;
            while (got < total) {
                Object o = q.poll();
                if (o != null) {
                    got++;
                    continue;
                }
                word.set(1);                             // volatile write: "I may sleep"
                if (q.hasPending()) {                    // volatile read of the producer index
                    word.set(-1);
                    continue;
                }
                LockSupport.park(this);
                word.getAndSet(-1);
            }
            return got;
        }, runnable -> new Thread(runnable, "ingress-sleeper").start());
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            threads.add(new Thread(() -> {
                await(start);
                awaitLatch(consumerParked);
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int b = 0; b < bursts; b++) {
                    for (int k = 0; k < 2; k++) {
                        q.offer(Boolean.TRUE);
                        if (word.get() != -1 && word.getAndSet(-1) != -1) {
                            signals.incrementAndGet();
                            LockSupport.unpark(consumerThread.get());
                        }
                    }
                    for (int s = rnd.nextInt(300); s > 0; s--) {
                        Thread.onSpinWait();
                    }
                }
            }, "ingress-waker-" + p));
        }
        threads.forEach(Thread::start);
        // No producer offers before the consumer has parked on the empty queue (its blocker, this test instance, is
        // set only after it published "may sleep" and found nothing pending; waiting in the barrier shows another
        // blocker), so the first offer must take the signalling path: the final signals > 0 check does not depend on
        // the scheduler letting the consumer catch up with the producers.
        long parkedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumerThread.get() == null || LockSupport.getBlocker(consumerThread.get()) != this) {
            if (System.nanoTime() > parkedBy) {
                throw new AssertionError("the consumer never parked on the empty queue within 30 s");
            }
            Thread.onSpinWait();
        }
        consumerParked.countDown();
        assertThat(consumer.get(30, TimeUnit.SECONDS)).isEqualTo(total);
        for (Thread t : threads) {
            t.join(10_000);
        }
        // The protocol was exercised: the consumer really went to sleep and was woken by producers.
        assertThat(signals.get()).isPositive();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the consumer to park");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("start barrier failed", e);
        }
    }
}

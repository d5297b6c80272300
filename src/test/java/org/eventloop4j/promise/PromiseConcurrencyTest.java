package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** Promises used from many threads at once against a loop running on its own thread. */
class PromiseConcurrencyTest {

    @Test
    void resolvingAndRegisteringFromManyThreadsRunsEveryReactionOnceOnTheLoop() throws Exception {
        EventLoop loop = EventLoop.builder().threadName("concurrency-loop").build().start();
        try {
            int threads = 4;
            int perThread = 2_000;
            CountDownLatch reactions = new CountDownLatch(threads * perThread * 2);
            AtomicInteger offLoop = new AtomicInteger();
            AtomicInteger wrongValue = new AtomicInteger();
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            int expected = id * perThread + i;
                            Promise.Resolvers<Integer> r = Promise.withResolvers(loop);
                            Promise.Handler<Integer, Object> check = v -> {
                                if (!loop.inLoop()) {
                                    offLoop.incrementAndGet();
                                }
                                if (v != expected) {
                                    wrongValue.incrementAndGet();
                                }
                                reactions.countDown();
                                return null;
                            };
                            // registration before and after resolution, both from this thread
                            r.promise().then(check);
                            r.resolve(expected);
                            r.promise().then(check);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            assertThat(reactions.await(30, TimeUnit.SECONDS)).as("every reaction ran").isTrue();
            assertThat(offLoop).hasValue(0);
            assertThat(wrongValue).hasValue(0);
            for (Thread w : workers) {
                w.join(10_000);
            }
        } finally {
            loop.close();
        }
    }

    @Test
    void registrationsFromOneForeignThreadKeepTheirOrder() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        try {
            Promise.Resolvers<String> r = Promise.withResolvers(loop);
            ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 500; i++) {
                int n = i;
                r.promise().then(v -> order.add(n));
                if (i == 250) {
                    r.resolve("v");      // half registered before the resolution is applied, half after
                }
            }
            CompletableFuture<Object> last = r.promise().then(v -> (Object) v).toCompletableFuture();
            assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo("v");
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                expected.add(i);
            }
            assertThat(order).containsExactlyElementsOf(expected);
        } finally {
            loop.close();
        }
    }

    @Test
    void crossLoopChainsHandOffBetweenLoopThreads() throws Exception {
        EventLoop a = EventLoop.builder().threadName("loop-a").build().start();
        EventLoop b = EventLoop.builder().threadName("loop-b").build().start();
        try {
            ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
            Promise<Integer> onA = Promise.resolve(a, 1).then(v -> {
                threads.add(Thread.currentThread().getName());
                return v + 1;
            });
            Promise<Integer> onB = Promise.resolve(b, onA).then(v -> {
                threads.add(Thread.currentThread().getName());
                return v * 10;
            });
            assertThat(onB.toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(20);
            assertThat(threads).containsExactly("loop-a", "loop-b");
        } finally {
            a.close();
            b.close();
        }
    }
}

package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Lifecycle: states, misuse, graceful and immediate shutdown, and races between them. */
class LifecycleTest {
    final LoopFixture f = new LoopFixture();

    @Test
    void statesAreObservable() throws Exception {
        EventLoop loop = EventLoop.builder().build();
        assertThat(loop.state()).isEqualTo(LoopState.NEW);
        loop.start();
        CompletableFuture<LoopState> inside = new CompletableFuture<>();
        loop.execute(() -> inside.complete(loop.state()));
        assertThat(inside.get(10, TimeUnit.SECONDS)).isEqualTo(LoopState.RUNNING);
        // An idle loop reports SLEEPING within the bound. Asserted on the sample that ended the wait, not on a second
        // read: an idle loop may legitimately turn once more (a stale unpark permit left by the execute() above, or a
        // spurious wakeup, shows RUNNING for an instant before it sleeps again).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        LoopState idle;
        while ((idle = loop.state()) != LoopState.SLEEPING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(idle).as("state() of an idle started loop").isEqualTo(LoopState.SLEEPING);
        CompletableFuture<LoopState> stopping = new CompletableFuture<>();
        loop.execute(() -> {
            loop.shutdown();
            stopping.complete(loop.state());
        });
        assertThat(stopping.get(10, TimeUnit.SECONDS)).isEqualTo(LoopState.STOPPING);
        assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void runningTwiceFromAnotherThreadFailsClearly() throws Exception {
        EventLoop loop = EventLoop.builder().threadName("owner").build().start();
        CountDownLatch started = new CountDownLatch(1);
        loop.execute(started::countDown);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(loop::run).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already being run by thread 'owner'");
        assertThatThrownBy(loop::runNow).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("NEW");
        loop.close();
    }

    @Test
    void reentrantRunFromACallbackFailsWithoutDeadlock() {
        EventLoop loop = f.idleExiting();
        AtomicReference<Throwable> run = new AtomicReference<>();
        AtomicReference<Throwable> runNow = new AtomicReference<>();
        loop.execute(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                run.set(t);
            }
            try {
                loop.runNow();
            } catch (Throwable t) {
                runNow.set(t);
            }
        });
        loop.run();
        assertThat(run.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("not re-entrant");
        assertThat(runNow.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeFromACallbackFailsAndShutdownFromACallbackWorks() {
        EventLoop loop = f.idleExiting();
        AtomicReference<Throwable> close = new AtomicReference<>();
        loop.execute(() -> {
            try {
                loop.close();
            } catch (Throwable t) {
                close.set(t);
            }
            loop.shutdown();
        });
        loop.setTimeout(f.log("dropped timer"), 60_000);
        loop.run();
        assertThat(close.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("shutdown()");
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(f.log).isEmpty();
    }

    @Test
    void runAfterTerminationFails() {
        EventLoop loop = f.idleExiting();
        loop.run();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThatThrownBy(loop::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("terminated");
        assertThat(loop.runNow()).isFalse();
        assertThat(loop.runOnce()).isFalse();
    }

    @Test
    void gracefulShutdownRunsQueuedWorkDropsTimersAndRejectsNewWork() throws Exception {
        EventLoop loop = EventLoop.builder().uncaughtExceptionHandler((l, e) -> f.uncaught.add(e)).build();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        loop.start();
        loop.execute(() -> {
            blocked.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Everything below is submitted while the loop thread is held inside a task, so the timer cannot fire
        // before shutdown begins (otherwise a 1 ms timer may legitimately run in the first turn's timers phase).
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        loop.execute(() -> {
            f.log.add("task");
            loop.queueMicrotask(f.log("task microtask"));
            try {
                loop.execute(f.log("never"));
            } catch (RejectedExecutionException e) {
                f.log.add("rejected on loop: " + e.getMessage().contains("shutting down"));
            }
        });
        loop.setImmediate(f.log("immediate"));
        loop.setTimeout(f.log("timer"), 0);
        CompletableFuture<Void> done = loop.shutdown().toCompletableFuture();
        assertThatThrownBy(() -> loop.execute(f.log("late"))).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("accepts no new work");
        assertThatThrownBy(() -> loop.setTimeout(f.log("late"), 1)).isInstanceOf(RejectedExecutionException.class);
        gate.countDown();
        done.get(10, TimeUnit.SECONDS);
        assertThat(f.log).containsExactly("task", "rejected on loop: true", "task microtask", "immediate");
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void shutdownBeforeRunDropsNothingThatWasAccepted() throws Exception {
        EventLoop loop = EventLoop.builder().build();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.execute(ran::incrementAndGet);
        }
        loop.setImmediate(ran::incrementAndGet);
        loop.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ran.get()).isEqualTo(1001);
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void closeIsImmediateAndDiscardsQueuedWork() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger after = new AtomicInteger();
        loop.execute(() -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 100; i++) {
            loop.execute(after::incrementAndGet);
        }
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(loop::close);
        closer.start();
        // close() waits for the running callback; release it only once close() has begun, proven by behaviour (it
        // closes the ingress before it waits, so execute() is rejected from then on) rather than by the closer's
        // thread state. Probes accepted before that are queued work too: they must be discarded as well.
        AtomicInteger probesRan = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            try {
                loop.execute(probesRan::incrementAndGet);
            } catch (RejectedExecutionException begun) {
                break;
            }
            assertThat(System.nanoTime()).as("close() from another thread began within 10 s").isLessThan(deadline);
            Thread.yield();
        }
        release.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(after.get()).isZero();
        assertThat(probesRan.get()).isZero();
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("terminated");
    }

    @Test
    void closeOfANeverRunLoopTerminatesItOnTheCaller() {
        EventLoop loop = EventLoop.builder().build();
        loop.execute(f.log("discarded"));
        loop.close();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(f.log).isEmpty();
        loop.close(); // idempotent
    }

    @Test
    void awaitTerminationTimesOutWhileRunning() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        assertThat(loop.awaitTermination(20, TimeUnit.MILLISECONDS)).isFalse();
        loop.shutdown();
        assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void exitWhenIdleReturnsOnceNothingIsLeft() {
        EventLoop loop = f.idleExiting();
        loop.setTimeout(() -> {
            f.log.add("t");
            loop.setImmediate(f.log("i"));
        }, 1);
        loop.run();
        assertThat(f.log).containsExactly("t", "i");
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void onIdleHookCanKeepTheLoopGoingLikeBeforeExit() {
        AtomicInteger idleCalls = new AtomicInteger();
        EventLoop[] holder = new EventLoop[1];
        EventLoop loop = f.builder().onIdle(() -> {
            if (idleCalls.incrementAndGet() < 3) {
                holder[0].setTimeout(f.log("more " + idleCalls.get()), 1);
            }
        }).build();
        holder[0] = loop;
        loop.run();
        assertThat(f.log).containsExactly("more 1", "more 2");
        assertThat(idleCalls.get()).isEqualTo(3);
    }

    @Test
    void keepAliveHoldsAnIdleLoopUntilReleasedFromAnotherThread() throws Exception {
        EventLoop loop = f.idleExiting();
        KeepAlive hold = loop.keepAlive();
        Thread other = new Thread(() -> {
            loop.execute(f.log("from other thread"));
            hold.close();
        });
        loop.execute(other::start);
        loop.run();
        other.join();
        assertThat(f.log).containsExactly("from other thread");
    }

    @Test
    void shutdownAndCloseRacingFromManyThreadsAlwaysTerminate() throws Exception {
        for (int round = 0; round < 50; round++) {
            EventLoop loop = EventLoop.builder().build().start();
            List<Thread> threads = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 4; i++) {
                int k = i;
                threads.add(new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        for (int j = 0; j < 100; j++) {
                            loop.execute(() -> { });
                        }
                    } catch (RejectedExecutionException expected) {
                        // racing with shutdown
                    }
                    if (k == 0) {
                        loop.shutdown();
                    } else if (k == 1) {
                        loop.close();
                    }
                }));
            }
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).as("round " + round).isTrue();
        }
    }

    @Test
    void everyAcceptedTaskRunsWhenShutdownRacesWithProducers() throws Exception {
        for (int round = 0; round < 20; round++) {
            EventLoop loop = EventLoop.builder().build().start();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger ran = new AtomicInteger();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                producers.add(new Thread(() -> {
                    for (int i = 0; i < 5000; i++) {
                        try {
                            loop.execute(ran::incrementAndGet);
                            accepted.incrementAndGet();
                        } catch (RejectedExecutionException e) {
                            return;
                        }
                    }
                }));
            }
            producers.forEach(Thread::start);
            loop.shutdown();
            for (Thread t : producers) {
                t.join(10_000);
            }
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.get()).as("round " + round).isEqualTo(accepted.get());
        }
    }
}

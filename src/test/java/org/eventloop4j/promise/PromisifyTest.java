package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortException;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.LoopTerminatedException;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** {@code Promise.promisify}: blocking work off the loop. */
class PromisifyTest {

    private static final long WAIT = 20;   // seconds: generous for a loaded machine

    @Test
    void runsOffTheLoopAndSettlesOnItKeepingAnIdleLoopAlive() {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).threadName("promisify-loop").build();
        AtomicReference<String> loopThread = new AtomicReference<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        loop.execute(() -> {
            loopThread.set(Thread.currentThread().getName());
            Promise.promisify(loop, () -> Thread.currentThread().getName())
                    .then(worker -> seen.add("worker=" + worker + " inLoop=" + loop.inLoop()));
        });
        loop.run();     // returns only once nothing keeps the loop alive: the work did until it settled
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).endsWith("inLoop=true").doesNotContain("worker=" + loopThread.get() + " ");
    }

    @Test
    void aThrowingCallableRejectsWithTheSameThrowable() {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        Exception boom = new java.io.IOException("disk on fire");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        loop.execute(() -> Promise.promisify(loop, () -> {
            throw boom;
        }).catchError(e -> {
            seen.set(e);
            return null;
        }));
        loop.run();
        assertThat(seen.get()).isSameAs(boom);
    }

    @Test
    void aReturnedPromiseIsAdopted() {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        AtomicReference<Object> seen = new AtomicReference<>();
        // typed <Object>: the promise fulfils with the adopted value, not with a Promise (see docs/promises.md)
        loop.execute(() -> Promise.<Object>promisify(loop, () -> Promise.resolve(loop, "inner")).then(v -> {
            seen.set(v);
            return null;
        }));
        loop.run();
        assertThat(seen.get()).isEqualTo("inner");
    }

    @Test
    void abortInterruptsTheWorkerAndRejectsWithTheReason() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        try {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            AbortController ac = new AbortController(loop);
            Promise<String> p = Promise.promisify(loop, () -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                    return "never";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }, ac.signal());
            CompletableFuture<String> f = p.toCompletableFuture();
            assertThat(started.await(WAIT, TimeUnit.SECONDS)).isTrue();
            RuntimeException reason = new RuntimeException("user cancelled");
            ac.abort(reason);
            assertThat(interrupted.await(WAIT, TimeUnit.SECONDS)).as("the worker was interrupted").isTrue();
            assertThatThrownBy(() -> f.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(reason);
        } finally {
            loop.close();
        }
    }

    @Test
    void anAlreadyAbortedSignalRejectsWithoutRunningTheWork() {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        loop.execute(() -> Promise.promisify(loop, () -> ran.getAndSet(true), AbortSignal.abort(null))
                .catchError(e -> {
                    seen.set(e);
                    return null;
                }));
        loop.run();
        assertThat(ran).isFalse();
        assertThat(seen.get()).isInstanceOf(AbortException.class);
    }

    @Test
    void gracefulShutdownWaitsForWorkInFlight() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Promise<String> p = Promise.promisify(loop, () -> {
            started.countDown();
            release.await();
            return "finished";
        });
        CompletableFuture<String> f = p.toCompletableFuture();
        assertThat(started.await(WAIT, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> terminated = loop.shutdown().toCompletableFuture();
        assertThat(loop.awaitTermination(200, TimeUnit.MILLISECONDS)).as("still waiting for the work").isFalse();
        release.countDown();
        terminated.get(WAIT, TimeUnit.SECONDS);
        assertThat(f.get(WAIT, TimeUnit.SECONDS)).isEqualTo("finished");
        assertThat(p.value()).isEqualTo("finished");
    }

    @Test
    void closeRejectsPendingWorkWithLoopTerminatedAndInterruptsTheWorker() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Promise<String> p = Promise.promisify(loop, () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return "never";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });
        CompletableFuture<String> f = p.toCompletableFuture();
        assertThat(started.await(WAIT, TimeUnit.SECONDS)).isTrue();
        loop.close();
        // settled by the termination hook on the loop thread; no reaction runs on a terminated loop, but the
        // future bridge is completed at termination
        assertThat(p.state()).isEqualTo(Promise.State.REJECTED);
        assertThat(p.reason()).isInstanceOf(LoopTerminatedException.class);
        assertThatThrownBy(() -> f.get(WAIT, TimeUnit.SECONDS)).cause().isSameAs(p.reason());
        assertThat(interrupted.await(WAIT, TimeUnit.SECONDS)).as("the worker was interrupted").isTrue();
    }

    @Test
    void promisifyOnATerminatedLoopRejectsAtOnce() {
        EventLoop loop = EventLoop.create();
        loop.close();
        AtomicBoolean ran = new AtomicBoolean();
        Promise<Boolean> p = Promise.promisify(loop, () -> ran.getAndSet(true));
        assertThat(p.state()).isEqualTo(Promise.State.REJECTED);
        assertThat(p.reason()).isInstanceOf(LoopTerminatedException.class);
        assertThat(ran).isFalse();
    }

    @Test
    void manyCallsAllSettleInAnyOrderTheyFinish() {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        AtomicReference<List<Integer>> out = new AtomicReference<>();
        loop.execute(() -> {
            List<Promise<Integer>> ps = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                ps.add(Promise.promisify(loop, () -> n * 2));
            }
            Promise.<Integer>all(loop, ps).then(v -> {
                out.set(v);
                return null;
            });
        });
        loop.run();
        assertThat(out.get()).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(out.get().get(i)).isEqualTo(i * 2);
        }
    }
}

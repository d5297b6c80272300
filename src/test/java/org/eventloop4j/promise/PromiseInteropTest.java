package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** Interop with {@link java.util.concurrent.CompletionStage}, both ways. */
class PromiseInteropTest {

    @Test
    void toCompletableFutureCompletesWithTheValue() throws Exception {
        LoopFixture f = new LoopFixture();
        CompletableFuture<String> cf = Promise.resolve(f.loop, "v").toCompletableFuture();
        assertThat(cf).isNotDone();
        f.turns();
        assertThat(cf.get(0, TimeUnit.SECONDS)).isEqualTo("v");
    }

    @Test
    void toCompletableFutureCompletesExceptionallyWithTheReasonItself() {
        LoopFixture f = new LoopFixture();
        Exception reason = new java.io.IOException("r");
        List<CompletableFuture<String>> holder = new CopyOnWriteArrayList<>();
        f.run(() -> holder.add(Promise.<String>reject(f.loop, reason).toCompletableFuture()));
        CompletableFuture<String> cf = holder.get(0);
        assertThatThrownBy(cf::get).isInstanceOf(ExecutionException.class).cause().isSameAs(reason);
        assertThat(f.unhandled).as("the future handles the promise").isEmpty();
    }

    @Test
    void completingTheFutureByHandDoesNotTouchThePromise() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        r.promise().toCompletableFuture().complete("forged");
        f.turns();
        assertThat(r.promise().state()).isEqualTo(Promise.State.PENDING);
    }

    @Test
    void fromAStageCompletedOnAnotherThreadSettlesOnTheLoopAndKeepsItAlive() throws Exception {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        CompletableFuture<String> cf = new CompletableFuture<>();
        CountDownLatch loopRunning = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        loop.execute(() -> {
            Promise.from(loop, cf).then(v -> seen.add(v + " inLoop=" + loop.inLoop()));
            loopRunning.countDown();
        });
        Thread completer = new Thread(() -> {
            try {
                loopRunning.await();
                cf.complete("from a thread");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        completer.start();
        loop.run();     // an exitWhenIdle loop: the pending stage holds it alive until completed
        completer.join(10_000);
        assertThat(seen).containsExactly("from a thread inLoop=true");
    }

    @Test
    void fromAFailedDependentStageUnwrapsTheCompletionException() {
        LoopFixture f = new LoopFixture();
        IllegalStateException boom = new IllegalStateException("stage failed");
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> dependent = source.thenApply(s -> {
            throw boom;
        });
        Promise<String> p = Promise.from(f.loop, dependent);
        p.catchError(e -> null);
        source.complete("x");
        assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class);
        f.turns();
        assertThat(p.reason()).isSameAs(boom);
    }

    @Test
    void fromAnAlreadyCompletedStage() {
        LoopFixture f = new LoopFixture();
        Promise<String> p = Promise.from(f.loop, CompletableFuture.completedFuture("done"));
        f.turns();
        assertThat(p.value()).isEqualTo("done");
        assertThat(f.loop.isAlive()).as("the keep-alive hold was released").isFalse();
    }

    @Test
    void roundTripPreservesValueAndReason() throws Exception {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        CompletableFuture<String> ok = Promise.from(f.loop, CompletableFuture.completedFuture("v"))
                .toCompletableFuture();
        CompletableFuture<String> bad = Promise.<String>from(f.loop, CompletableFuture.failedFuture(reason))
                .toCompletableFuture();
        f.turns();
        assertThat(ok.get(0, TimeUnit.SECONDS)).isEqualTo("v");
        assertThatThrownBy(bad::get).cause().isSameAs(reason);
    }

    @Test
    void aFutureOfAPromiseStillPendingAtCloseCompletesWithLoopTerminated() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        Promise.Resolvers<String> never = Promise.withResolvers(loop);
        CompletableFuture<String> cf = never.promise().toCompletableFuture();
        loop.close();
        assertThatThrownBy(() -> cf.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(org.eventloop4j.LoopTerminatedException.class);
    }

    @Test
    void aFutureTakenAfterTerminationCompletesLikeTheSettledPromise() throws Exception {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        Promise<?>[] p = new Promise[1];
        loop.execute(() -> p[0] = Promise.resolve(loop, "settled before the end"));
        loop.run();
        assertThat(loop.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        assertThat(p[0].toCompletableFuture().get(0, TimeUnit.SECONDS)).isEqualTo("settled before the end");
    }
}

package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eventloop4j.EventLoop;
import org.eventloop4j.OperationTimeoutException;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** Creating promises: executor, withResolvers, resolve/reject, attempt (Promise.try), delay, timeout. */
class PromiseCreationTest {

    @Test
    void executorRunsSynchronouslyAndItsResolveSettles() {
        LoopFixture f = new LoopFixture();
        List<String> order = new CopyOnWriteArrayList<>();
        Promise<Object>[] p = new Promise[1];
        f.run(() -> {
            p[0] = Promise.create(f.loop, (resolve, reject) -> {
                order.add("executor");
                resolve.accept("v");
            });
            order.add("after create");
        });
        assertThat(order).containsExactly("executor", "after create");
        assertThat(p[0].value()).isEqualTo("v");
    }

    @Test
    void executorThatThrowsRejectsWithTheThrowable() {
        LoopFixture f = new LoopFixture();
        Exception boom = new Exception("checked");
        Promise<Object> p = Promise.create(f.loop, (resolve, reject) -> {
            throw boom;
        });
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(boom);
    }

    @Test
    void executorThatThrowsAfterResolvingKeepsTheValue() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.create(f.loop, (resolve, reject) -> {
            resolve.accept("v");
            throw new IllegalStateException("ignored");
        });
        f.turns();
        assertThat(p.value()).isEqualTo("v");
    }

    @Test
    void executorRejectWithNullBecomesANullPointerException() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.create(f.loop, (resolve, reject) -> reject.accept(null));
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void resolversSettleFromAnotherThreadOnTheLoop() throws Exception {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        List<String> seen = new CopyOnWriteArrayList<>();
        r.promise().then(v -> seen.add(v + " " + f.loop.inLoop()));
        Thread t = new Thread(() -> r.resolve("v"));
        t.start();
        t.join(10_000);
        assertThat(r.promise().state()).as("not applied until the loop runs").isEqualTo(Promise.State.PENDING);
        f.turns();
        assertThat(seen).containsExactly("v true");
    }

    @Test
    void attemptCallsTheFunctionSynchronously() {
        LoopFixture f = new LoopFixture();
        List<String> order = new CopyOnWriteArrayList<>();
        Promise<String>[] p = new Promise[1];
        f.run(() -> {
            p[0] = Promise.attempt(f.loop, () -> {
                order.add("fn");
                return "v";
            });
            order.add("after");
        });
        assertThat(order).containsExactly("fn", "after");
        assertThat(p[0].value()).isEqualTo("v");
    }

    @Test
    void attemptRejectsWithWhatTheFunctionThrows() {
        LoopFixture f = new LoopFixture();
        Exception boom = new TimeoutException("checked");
        Promise<String> p = Promise.attempt(f.loop, () -> {
            throw boom;
        });
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(boom);
    }

    @Test
    void attemptAdoptsAReturnedPromise() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.attempt(f.loop, () -> Promise.delay(f.loop, 5).then(v -> "later"));
        f.turns();
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
        f.loop.advanceTime(5);
        assertThat(p.value()).isEqualTo("later");
    }

    @Test
    void rejectGivesARejectedPromiseWithTheSameReason() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise<String> p = Promise.reject(f.loop, reason);
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(reason);
    }

    @Test
    void delayFulfilsAfterTheDelayOnTheLoopsClock() {
        LoopFixture f = new LoopFixture();
        Promise<Void> p = Promise.delay(f.loop, 100);
        f.turns();
        f.loop.advanceTime(99);
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
        f.loop.advanceTime(1);
        assertThat(p.state()).isEqualTo(Promise.State.FULFILLED);
        assertThat(p.value()).isNull();
    }

    @Test
    void delayKeepsAnExitWhenIdleLoopAliveUntilItFires() throws Exception {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        List<String> seen = new CopyOnWriteArrayList<>();
        loop.execute(() -> Promise.delay(loop, 20).then(v -> seen.add("fired")));
        loop.run();     // returns only when nothing keeps the loop alive
        assertThat(seen).containsExactly("fired");
        assertThat(loop.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void delayOnAStoppedLoopRejectsInsteadOfThrowing() {
        EventLoop loop = EventLoop.create();
        loop.close();
        Promise<Void> p = Promise.delay(loop, 10);
        assertThat(p.state()).isEqualTo(Promise.State.REJECTED);
        assertThat(p.reason()).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void timeoutRejectsWithATimeoutErrorWhenTheInputIsTooSlow() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> slow = Promise.withResolvers(f.loop);
        Promise<String> p = Promise.timeout(slow.promise(), 50);
        p.catchError(e -> null);
        f.turns();
        f.loop.advanceTime(50);
        assertThat(p.reason()).isInstanceOf(OperationTimeoutException.class);
        assertThat(((OperationTimeoutException) p.reason()).name()).isEqualTo("TimeoutError");
        f.run(() -> slow.resolve("too late"));
        assertThat(p.state()).isEqualTo(Promise.State.REJECTED);
    }

    @Test
    void timeoutPassesTheOutcomeThroughAndClearsItsTimer() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise.Resolvers<String> fast = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> failing = Promise.withResolvers(f.loop);
        Promise<String> ok = Promise.timeout(fast.promise(), 50);
        Promise<String> bad = Promise.timeout(failing.promise(), 50);
        bad.catchError(e -> null);
        f.turns();
        f.run(() -> {
            fast.resolve("v");
            failing.reject(reason);
        });
        assertThat(ok.value()).isEqualTo("v");
        assertThat(bad.reason()).isSameAs(reason);
        assertThat(f.loop.isAlive()).as("both timers were cleared").isFalse();
    }
}

package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eventloop4j.ChainingCycleException;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Thenable;
import org.eventloop4j.ThenableLookup;
import org.junit.jupiter.api.Test;

/** Promises/A+ 2.3 and ECMAScript's promise resolve functions: the promise resolution procedure. */
class PromiseAplus23ResolutionTest {

    @Test
    void rule_2_3_1_resolvingWithItselfRejectsWithAChainingCycleError() {
        LoopFixture f = new LoopFixture();
        AtomicReference<Promise<Object>> derived = new AtomicReference<>();
        f.run(() -> {
            derived.set(Promise.resolve(f.loop, 1).then(v -> derived.get()));
            derived.get().catchError(e -> null);
        });
        assertThat(derived.get().reason()).isInstanceOf(ChainingCycleException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Chaining cycle detected for promise");
    }

    @Test
    void rule_2_3_1_resolversResolvingWithTheirOwnPromiseReject() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<Object> r = Promise.withResolvers(f.loop);
        f.run(() -> {
            r.resolve(r.promise());
            r.promise().catchError(e -> null);
        });
        assertThat(r.promise().reason()).isInstanceOf(ChainingCycleException.class);
    }

    @Test
    void rule_2_3_2_1_adoptsAPendingPromiseThenItsFulfilment() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> inner = Promise.withResolvers(f.loop);
        Promise<String>[] outer = new Promise[1];
        f.run(() -> outer[0] = Promise.resolve(f.loop, 0).thenCompose(v -> inner.promise()));
        assertThat(outer[0].state()).isEqualTo(Promise.State.PENDING);
        f.run(() -> inner.resolve("late"));
        assertThat(outer[0].value()).isEqualTo("late");
    }

    @Test
    void rule_2_3_2_3_adoptsARejectionWithTheSameReason() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise.Resolvers<String> inner = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> outer = Promise.withResolvers(f.loop);
        f.run(() -> {
            outer.resolve(inner.promise());
            outer.promise().catchError(e -> null);
        });
        f.run(() -> inner.reject(reason));
        assertThat(outer.promise().reason()).isSameAs(reason);
        assertThat(f.unhandled).as("the inner promise is handled by the adoption").isEmpty();
    }

    @Test
    void rule_2_3_2_2_adoptsAnAlreadyFulfilledPromise() {
        LoopFixture f = new LoopFixture();
        Promise<String>[] outer = new Promise[1];
        f.run(() -> outer[0] = Promise.resolve(f.loop, 0).thenCompose(v -> Promise.resolve(f.loop, "done")));
        assertThat(outer[0].value()).isEqualTo("done");
    }

    @Test
    void rule_2_3_2_adoptionGoesThroughAJobWithEcmaScriptTiming() {
        // Node 20 prints: sync 1 then-called 2 t a 3 4
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise<Object> p = Promise.resolve(f.loop, null);
            Promise.create(f.loop, (resolve, reject) -> resolve.accept(p)).then(v -> f.log.add("a"));
            p.then(v -> f.log.add("1")).then(v -> f.log.add("2")).then(v -> f.log.add("3"))
                    .then(v -> f.log.add("4"));
            Thenable t = (resolve, reject) -> {
                f.log("then-called");
                resolve.accept("t");
            };
            Promise.resolve(f.loop, (Object) t).then(v -> f.log.add((String) v));
            f.log("sync");
        });
        assertThat(f.log).containsExactly("sync", "1", "then-called", "2", "t", "a", "3", "4");
    }

    @Test
    void rule_2_3_2_adoptsAPromiseOfAnotherLoop() throws Exception {
        LoopFixture f = new LoopFixture();
        EventLoop other = EventLoop.builder().threadName("other").build().start();
        try {
            Promise.Resolvers<String> foreign = Promise.withResolvers(other);
            Promise<String> mine = Promise.resolve(f.loop, foreign.promise());
            assertThat(mine).isNotSameAs(foreign.promise());
            List<String> seen = new CopyOnWriteArrayList<>();
            mine.then(v -> seen.add(v + " on " + (f.loop.inLoop() ? "mine" : "other")));
            foreign.resolve("x");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                f.loop.runNow();        // the other loop hands the outcome over as a task
                Thread.onSpinWait();
            }
            assertThat(seen).containsExactly("x on mine");
        } finally {
            other.close();
        }
    }

    @Test
    void rule_2_3_3_1_thenIsLookedUpExactlyOnce() {
        LoopFixture f = new LoopFixture();
        AtomicInteger lookups = new AtomicInteger();
        ThenableLookup x = () -> {
            lookups.incrementAndGet();
            return (resolve, reject) -> resolve.accept("v");
        };
        Promise<Object>[] p = new Promise[1];
        f.run(() -> p[0] = Promise.resolve(f.loop, 0).then(v -> x));
        assertThat(lookups).hasValue(1);
        assertThat(p[0].value()).isEqualTo("v");
    }

    @Test
    void rule_2_3_3_2_aLookupThatThrowsRejectsWithThatThrowable() {
        LoopFixture f = new LoopFixture();
        RuntimeException boom = new RuntimeException("getter threw");
        ThenableLookup x = () -> {
            throw boom;
        };
        Promise<Object> p = Promise.resolve(f.loop, (Object) x);
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(boom);
    }

    @Test
    void rule_2_3_3_3_thenIsCalledInAJobNotSynchronously() {
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise.Resolvers<Object> r = Promise.withResolvers(f.loop);
            r.resolve((Thenable) (resolve, reject) -> f.log("then called"));
            f.log("after resolve");
        });
        assertThat(f.log).containsExactly("after resolve", "then called");
    }

    @Test
    void rule_2_3_3_3_1_resolvePromiseWithYRunsTheProcedureAgain() {
        LoopFixture f = new LoopFixture();
        Thenable innermost = (resolve, reject) -> resolve.accept("deep");
        Thenable middle = (resolve, reject) -> resolve.accept(innermost);
        Promise<Object> p = Promise.resolve(f.loop, (Object) middle);
        f.turns();
        assertThat(p.value()).isEqualTo("deep");
    }

    @Test
    void rule_2_3_3_3_2_rejectPromiseRejectsWithR() {
        LoopFixture f = new LoopFixture();
        RuntimeException r = new RuntimeException();
        Promise<Object> p = Promise.resolve(f.loop, (Object) (Thenable) (resolve, reject) -> reject.accept(r));
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(r);
    }

    @Test
    void rule_2_3_3_3_3_firstCallWinsResolveThenReject() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.resolve(f.loop, (Object) (Thenable) (resolve, reject) -> {
            resolve.accept("first");
            reject.accept(new RuntimeException("ignored"));
            resolve.accept("ignored");
        });
        f.turns();
        assertThat(p.value()).isEqualTo("first");
    }

    @Test
    void rule_2_3_3_3_3_firstCallWinsRejectThenResolve() {
        LoopFixture f = new LoopFixture();
        RuntimeException first = new RuntimeException("first");
        Promise<Object> p = Promise.resolve(f.loop, (Object) (Thenable) (resolve, reject) -> {
            reject.accept(first);
            resolve.accept("ignored");
            reject.accept(new RuntimeException("ignored"));
        });
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(first);
    }

    @Test
    void rule_2_3_3_3_3_resolveWithAThenableThatNeverSettlesStillLocksIn() {
        LoopFixture f = new LoopFixture();
        Thenable never = (resolve, reject) -> { };
        Promise<Object> p = Promise.resolve(f.loop, (Object) (Thenable) (resolve, reject) -> {
            resolve.accept(never);
            resolve.accept("ignored");
        });
        f.turns();
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
    }

    @Test
    void rule_2_3_3_3_4_1_aThrowAfterACallbackIsIgnored() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.resolve(f.loop, (Object) (Thenable) (resolve, reject) -> {
            resolve.accept("v");
            throw new IllegalStateException("ignored");
        });
        f.turns();
        assertThat(p.value()).isEqualTo("v");
    }

    @Test
    void rule_2_3_3_3_4_2_aThrowBeforeAnyCallbackRejectsWithIt() {
        LoopFixture f = new LoopFixture();
        IllegalStateException boom = new IllegalStateException("then threw");
        Promise<Object> p = Promise.resolve(f.loop, (Object) (Thenable) (resolve, reject) -> {
            throw boom;
        });
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(boom);
    }

    @Test
    void rule_2_3_3_3_thenableCallingBackFromAnotherThread() throws Exception {
        LoopFixture f = new LoopFixture();
        AtomicReference<Consumer<Object>> later = new AtomicReference<>();
        Promise<Object> p = Promise.resolve(f.loop, (Object) (Thenable) (resolve, reject) -> later.set(resolve));
        f.turns();
        Thread t = new Thread(() -> later.get().accept("from a thread"));
        t.start();
        t.join(10_000);
        f.turns();
        assertThat(p.value()).isEqualTo("from a thread");
    }

    @Test
    void rule_2_3_3_4_aLookupReturningNullFulfilsWithTheObjectItself() {
        LoopFixture f = new LoopFixture();
        ThenableLookup notThenable = () -> null;
        Promise<Object> p = Promise.resolve(f.loop, (Object) notThenable);
        f.turns();
        assertThat(p.value()).isSameAs(notThenable);
    }

    @Test
    void rule_2_3_4_aPlainValueFulfils() {
        LoopFixture f = new LoopFixture();
        Promise<Object>[] p = new Promise[3];
        Object o = new Object();
        f.run(() -> {
            p[0] = Promise.resolve(f.loop, 0).then(v -> null);
            p[1] = Promise.resolve(f.loop, 0).then(v -> o);
            p[2] = Promise.resolve(f.loop, 0).then(v -> "s");
        });
        assertThat(p[0].value()).isNull();
        assertThat(p[1].value()).isSameAs(o);
        assertThat(p[2].value()).isEqualTo("s");
    }

    @Test
    void promiseResolveReturnsThePromiseItselfForTheSameLoop() {
        LoopFixture f = new LoopFixture();
        Promise<String> p = Promise.resolve(f.loop, "v");
        assertThat(Promise.resolve(f.loop, p)).isSameAs(p);
    }
}

package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** Promises/A+ 2.2: the {@code then} method. */
class PromiseAplus22ThenTest {

    @Test
    void rule_2_2_1_nullOnFulfilledPassesTheValueThrough() {
        LoopFixture f = new LoopFixture();
        List<Object> seen = new CopyOnWriteArrayList<>();
        f.run(() -> Promise.resolve(f.loop, "v").then(null, e -> "handled").then(seen::add));
        assertThat(seen).containsExactly("v");
    }

    @Test
    void rule_2_2_1_nullOnRejectedPassesTheSameReasonThrough() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException("r");
        List<Object> seen = new CopyOnWriteArrayList<>();
        f.run(() -> Promise.<String>reject(f.loop, reason).then(v -> "not called").then(null, e -> {
            seen.add(e);
            return null;
        }));
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).isSameAs(reason);
    }

    @Test
    void rule_2_2_2_onFulfilledCalledAfterFulfilmentWithTheValueNotBeforeAndOnce() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        AtomicInteger calls = new AtomicInteger();
        List<String> values = new CopyOnWriteArrayList<>();
        f.run(() -> r.promise().then(v -> {
            calls.incrementAndGet();
            values.add(v);
            return null;
        }));
        assertThat(calls).hasValue(0);
        f.run(() -> {
            r.resolve("v");
            r.resolve("again");
            r.reject(new RuntimeException());
        });
        f.turns();
        assertThat(calls).hasValue(1);
        assertThat(values).containsExactly("v");
    }

    @Test
    void rule_2_2_3_onRejectedCalledAfterRejectionWithTheReasonNotBeforeAndOnce() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        RuntimeException reason = new RuntimeException("r");
        List<Throwable> reasons = new CopyOnWriteArrayList<>();
        f.run(() -> r.promise().then(null, e -> {
            reasons.add(e);
            return null;
        }));
        assertThat(reasons).isEmpty();
        f.run(() -> {
            r.reject(reason);
            r.reject(new RuntimeException("again"));
            r.resolve("v");
        });
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).isSameAs(reason);
    }

    @Test
    void rule_2_2_4_onFulfilledNotCalledUntilStackEmpty() {
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise<String> p = Promise.resolve(f.loop, "v");
            p.then(v -> {
                f.log("handler");
                return null;
            });
            f.log("after then");
        });
        assertThat(f.log).containsExactly("after then", "handler");
    }

    @Test
    void rule_2_2_4_onRejectedNotCalledUntilStackEmpty() {
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise.reject(f.loop, new RuntimeException()).catchError(e -> {
                f.log("handler");
                return null;
            });
            f.log("after catch");
        });
        assertThat(f.log).containsExactly("after catch", "handler");
    }

    @Test
    void rule_2_2_4_reactionsRunAsMicrotasksAfterNextTicksAndInFifoWithQueueMicrotask() {
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            f.loop.queueMicrotask(() -> f.log("microtask 1"));
            Promise.resolve(f.loop, "v").then(v -> {
                f.log("reaction");
                return null;
            });
            f.loop.queueMicrotask(() -> f.log("microtask 2"));
            f.loop.nextTick(() -> f.log("tick"));
        });
        assertThat(f.log).containsExactly("tick", "microtask 1", "reaction", "microtask 2");
    }

    @Test
    void rule_2_2_4_resolvingInsideATaskRunsReactionsBeforeTheNextTask() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        f.loop.execute(() -> r.promise().then(v -> {
            f.log("reaction " + v);
            return null;
        }));
        f.loop.execute(() -> {
            r.resolve("v");
            f.log("task 2");
        });
        f.loop.execute(() -> f.log("task 3"));
        f.turns();
        assertThat(f.log).containsExactly("task 2", "reaction v", "task 3");
    }

    @Test
    void rule_2_2_6_1_multipleOnFulfilledRunInRegistrationOrder() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        f.run(() -> {
            Promise<String> p = r.promise();
            p.then(v -> f.log.add("a"));
            p.then(null, e -> f.log.add("not called"));
            p.then(v -> f.log.add("b"));
            p.finallyDo(() -> f.log("c"));
            r.resolve("v");
            p.then(v -> f.log.add("d"));
        });
        f.run(() -> r.promise().then(v -> f.log.add("e")));
        assertThat(f.log).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void rule_2_2_6_2_multipleOnRejectedRunInRegistrationOrderEvenWhenAlreadyRejected() {
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise<String> p = Promise.reject(f.loop, new RuntimeException());
            p.catchError(e -> {
                f.log("a");
                // registered while a is running: queued behind b and c
                p.catchError(e2 -> {
                    f.log("d");
                    return null;
                });
                return null;
            });
            p.catchError(e -> {
                f.log("b");
                return null;
            });
            p.then(v -> "x", e -> {
                f.log("c");
                return null;
            });
        });
        assertThat(f.log).containsExactly("a", "b", "c", "d");
        assertThat(f.unhandled).isEmpty();
    }

    @Test
    void rule_2_2_7_thenReturnsANewPromise() {
        LoopFixture f = new LoopFixture();
        Promise<String> p = Promise.resolve(f.loop, "v");
        Promise<String> d = p.then(v -> v);
        assertThat(d).isNotSameAs(p);
        assertThat(d.loop()).isSameAs(f.loop);
        f.turns();
        assertThat(d.value()).isEqualTo("v");
    }

    @Test
    void rule_2_2_7_1_handlerValueResolvesTheDerivedPromise() {
        LoopFixture f = new LoopFixture();
        Promise<Integer>[] d = new Promise[2];
        f.run(() -> {
            d[0] = Promise.resolve(f.loop, 20).then(v -> v + 1);
            d[1] = Promise.<Integer>reject(f.loop, new RuntimeException()).then(v -> 0, e -> 42);
        });
        assertThat(d[0].value()).isEqualTo(21);
        assertThat(d[1].value()).isEqualTo(42);
    }

    @Test
    void rule_2_2_7_2_handlerThatThrowsRejectsTheDerivedPromiseWithThatThrowable() {
        LoopFixture f = new LoopFixture();
        Exception checked = new java.io.IOException("checked");
        Error error = new AssertionError("error");
        Promise<?>[] d = new Promise[2];
        f.run(() -> {
            d[0] = Promise.resolve(f.loop, 1).then(v -> {
                throw checked;
            });
            d[1] = Promise.reject(f.loop, new RuntimeException()).then(null, e -> {
                throw error;
            });
            d[0].catchError(e -> null);
            d[1].catchError(e -> null);
        });
        assertThat(d[0].reason()).isSameAs(checked);
        assertThat(d[1].reason()).isSameAs(error);
    }

    @Test
    void rule_2_2_7_3_nullOnFulfilledFulfilsTheDerivedPromiseWithTheSameValue() {
        LoopFixture f = new LoopFixture();
        Object value = new Object();
        Promise<Object> d = Promise.resolve(f.loop, value).then(null, e -> "x");
        f.turns();
        assertThat(d.value()).isSameAs(value);
    }

    @Test
    void rule_2_2_7_4_nullOnRejectedRejectsTheDerivedPromiseWithTheSameReason() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise<Object> d = Promise.reject(f.loop, reason).then(v -> "x", null);
        d.catchError(e -> null);
        f.turns();
        assertThat(d.reason()).isSameAs(reason);
    }

    @Test
    void rule_2_2_7_reasonIdentitySurvivesALongChain() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException("deep");
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        f.run(() -> {
            Promise<Object> p = Promise.reject(f.loop, reason);
            for (int i = 0; i < 50; i++) {
                p = p.then(v -> v).finallyDo(() -> { });
            }
            p.catchError(e -> {
                seen.add(e);
                return null;
            });
        });
        assertThat(seen).containsExactly(reason);
    }

    @Test
    void thenCalledFromAnotherThreadRegistersOnTheLoopAndRunsThere() throws Exception {
        LoopFixture f = new LoopFixture();
        Promise<String> p = Promise.resolve(f.loop, "v");
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> p.then(v -> {
            seen.add(v + " " + f.loop.inLoop());
            return null;
        }));
        t.start();
        t.join(10_000);
        f.turns();
        assertThat(seen).containsExactly("v true");
    }

    @Test
    void thenComposeIsTypedAsTheAdoptedPromise() {
        LoopFixture f = new LoopFixture();
        Promise<Integer> d = Promise.resolve(f.loop, "abc").thenCompose(s -> Promise.resolve(f.loop, s.length()));
        f.turns();
        assertThat(d.value()).isEqualTo(3);
    }
}

package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** Promises/A+ 2.1: promise states. */
class PromiseAplus21StatesTest {

    @Test
    void rule_2_1_1_pendingMayTransitionToFulfilled() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        f.run(() -> {
            assertThat(r.promise().state()).isEqualTo(Promise.State.PENDING);
            r.resolve("v");
            assertThat(r.promise().state()).isEqualTo(Promise.State.FULFILLED);
        });
        assertThat(r.promise().value()).isEqualTo("v");
    }

    @Test
    void rule_2_1_1_pendingMayTransitionToRejected() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        IllegalStateException reason = new IllegalStateException("no");
        f.run(() -> {
            r.reject(reason);
            r.promise().catchError(e -> null);
        });
        assertThat(r.promise().state()).isEqualTo(Promise.State.REJECTED);
        assertThat(r.promise().reason()).isSameAs(reason);
    }

    @Test
    void rule_2_1_2_fulfilledMustNotTransitionToRejected() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        f.run(() -> {
            assertThat(r.resolve("first")).isTrue();
            assertThat(r.reject(new RuntimeException("late"))).isFalse();
        });
        assertThat(r.promise().state()).isEqualTo(Promise.State.FULFILLED);
        assertThat(r.promise().value()).isEqualTo("first");
        assertThat(f.unhandled).isEmpty();
    }

    @Test
    void rule_2_1_2_2_fulfilledValueMustNotChange() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        List<String> seen = new CopyOnWriteArrayList<>();
        f.run(() -> {
            r.resolve("first");
            assertThat(r.resolve("second")).isFalse();
            r.promise().then(seen::add);
        });
        assertThat(seen).containsExactly("first");
        assertThat(r.promise().value()).isEqualTo("first");
    }

    @Test
    void rule_2_1_3_rejectedMustNotTransitionAndReasonMustNotChange() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        RuntimeException first = new RuntimeException("first");
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        f.run(() -> {
            r.reject(first);
            assertThat(r.resolve("value")).isFalse();
            assertThat(r.reject(new RuntimeException("second"))).isFalse();
            r.promise().catchError(e -> {
                seen.add(e);
                return null;
            });
        });
        assertThat(seen).containsExactly(first);
        assertThat(r.promise().reason()).isSameAs(first);
    }

    @Test
    void rule_2_1_2_resolvingWithAPendingPromiseLocksInEvenBeforeSettling() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> inner = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> outer = Promise.withResolvers(f.loop);
        f.run(() -> {
            assertThat(outer.resolve(inner.promise())).isTrue();
            assertThat(outer.reject(new RuntimeException("ignored"))).isFalse();
            assertThat(outer.resolve("ignored")).isFalse();
        });
        assertThat(outer.promise().state()).isEqualTo(Promise.State.PENDING);
        f.run(() -> inner.resolve("adopted"));
        assertThat(outer.promise().value()).isEqualTo("adopted");
    }

    @Test
    void rule_2_1_firstCallWinsAcrossRacingThreads() throws Exception {
        for (int round = 0; round < 200; round++) {
            LoopFixture f = new LoopFixture();
            Promise.Resolvers<Integer> r = Promise.withResolvers(f.loop);
            CyclicBarrier start = new CyclicBarrier(4);
            CountDownLatch done = new CountDownLatch(4);
            List<Integer> winners = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        boolean won = id % 2 == 0 ? r.resolve(id) : r.reject(new RuntimeException("" + id));
                        if (won) {
                            winners.add(id);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    } finally {
                        done.countDown();
                    }
                });
                th.start();
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(winners).hasSize(1);
            r.promise().catchError(e -> null);
            f.turns();
            int w = winners.get(0);
            if (w % 2 == 0) {
                assertThat(r.promise().value()).isEqualTo(w);
            } else {
                assertThat(r.promise().reason()).hasMessage("" + w);
            }
        }
    }

    @Test
    void inspectionOfTheWrongStateThrowsWithAClearMessage() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        assertThatThrownBy(() -> r.promise().value()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PENDING");
        assertThatThrownBy(() -> r.promise().reason()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.reject(null)).isInstanceOf(NullPointerException.class);
    }
}

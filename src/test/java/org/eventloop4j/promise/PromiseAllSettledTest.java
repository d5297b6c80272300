package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eventloop4j.Promise;
import org.eventloop4j.Settled;
import org.junit.jupiter.api.Test;

/** {@code Promise.allSettled}. */
class PromiseAllSettledTest {

    @Test
    void emptyInputFulfilsWithAnEmptyList() {
        LoopFixture f = new LoopFixture();
        Promise<List<Settled<Object>>> p = Promise.allSettled(f.loop, List.of());
        f.turns();
        assertThat(p.value()).isEmpty();
    }

    @Test
    void reportsEveryOutcomeInInputOrderAndNeverRejects() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException("r");
        Promise.Resolvers<String> late = Promise.withResolvers(f.loop);
        List<Promise<List<Settled<Object>>>> holder = new CopyOnWriteArrayList<>();
        // built on the loop: from another thread, reject() and allSettled() would be two hand-offs, and the
        // rejection would be reported at the end of the first one
        f.run(() -> holder.add(Promise.allSettled(f.loop,
                Arrays.asList(late.promise(), Promise.reject(f.loop, reason), "plain"))));
        Promise<List<Settled<Object>>> p = holder.get(0);
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
        f.run(() -> late.resolve("late"));
        List<Settled<Object>> out = p.value();
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isEqualTo(Settled.fulfilled("late"));
        assertThat(out.get(1).isRejected()).isTrue();
        assertThat(out.get(1).reason()).isSameAs(reason);
        assertThat(out.get(1).value()).isNull();
        assertThat(out.get(2).status()).isEqualTo(Promise.State.FULFILLED);
        assertThat(out.get(2).value()).isEqualTo("plain");
        assertThat(f.unhandled).as("rejected inputs are handled by allSettled()").isEmpty();
    }

    @Test
    void settledRejectsInconsistentCombinations() {
        assertThatThrownBy(() -> new Settled<>(Promise.State.PENDING, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settled<>(Promise.State.REJECTED, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settled<>(Promise.State.FULFILLED, "v", new RuntimeException()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void combinatorsSettleAfterTheSameNumberOfTicksAsJavaScript() {
        // Node 20: race([1,2]), any([reject(1), 2]), allSettled([1]) next to a chain of three thens:
        // t1 race1 any2 settled t2 t3
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise.race(f.loop, List.of(1, 2)).then(v -> f.log.add("race" + v));
            Promise.any(f.loop, List.of(Promise.reject(f.loop, new RuntimeException()), 2))
                    .then(v -> f.log.add("any" + v));
            Promise.allSettled(f.loop, List.of(1)).then(v -> f.log.add("settled"));
            Promise.resolve(f.loop, 0).then(v -> f.log.add("t1")).then(v -> f.log.add("t2"))
                    .then(v -> f.log.add("t3"));
        });
        assertThat(f.log).containsExactly("t1", "race1", "any2", "settled", "t2", "t3");
    }
}

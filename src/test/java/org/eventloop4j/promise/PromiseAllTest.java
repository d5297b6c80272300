package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.eventloop4j.Promise;
import org.eventloop4j.Thenable;
import org.junit.jupiter.api.Test;

/** {@code Promise.all}. */
class PromiseAllTest {

    @Test
    void emptyInputFulfilsWithAnEmptyList() {
        LoopFixture f = new LoopFixture();
        Promise<List<Object>> p = Promise.all(f.loop, List.of());
        f.turns();
        assertThat(p.value()).isEmpty();
    }

    @Test
    void valuesArriveInInputOrderNotSettlementOrder() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> first = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> second = Promise.withResolvers(f.loop);
        Promise<List<String>> all = Promise.all(f.loop, List.of(first.promise(), second.promise()));
        f.turns();
        f.run(() -> second.resolve("b"));
        assertThat(all.state()).isEqualTo(Promise.State.PENDING);
        f.run(() -> first.resolve("a"));
        assertThat(all.value()).containsExactly("a", "b");
    }

    @Test
    void mixesPlainValuesPromisesAndThenablesAndKeepsNulls() {
        LoopFixture f = new LoopFixture();
        Thenable t = (resolve, reject) -> resolve.accept("thenable");
        Promise<List<Object>> all = Promise.all(f.loop,
                Arrays.asList("plain", null, Promise.resolve(f.loop, "promise"), t));
        f.turns();
        assertThat(all.value()).containsExactly("plain", null, "promise", "thenable");
        assertThatThrownBy(() -> all.value().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsWithTheFirstRejectionsReasonUnchanged() {
        LoopFixture f = new LoopFixture();
        RuntimeException first = new RuntimeException("first");
        Promise.Resolvers<String> slow = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> fast = Promise.withResolvers(f.loop);
        Promise<List<String>> all = Promise.all(f.loop, List.of(slow.promise(), fast.promise()));
        all.catchError(e -> null);
        f.turns();
        f.run(() -> fast.reject(first));
        f.run(() -> slow.reject(new RuntimeException("second")));
        assertThat(all.reason()).isSameAs(first);
        assertThat(f.unhandled).as("inputs are handled by all()").isEmpty();
    }

    @Test
    void anIteratorThatThrowsRejects() {
        LoopFixture f = new LoopFixture();
        IllegalStateException boom = new IllegalStateException("iterator");
        Iterable<Object> broken = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Object next() {
                throw boom;
            }
        };
        Promise<?>[] p = new Promise[1];
        f.run(() -> {
            p[0] = Promise.all(f.loop, broken);
            p[0].catchError(e -> null);
        });
        assertThat(p[0].reason()).isSameAs(boom);
    }

    @Test
    @SuppressWarnings("unchecked")
    void calledFromAnotherThreadIteratesThereAndSettlesOnTheLoop() throws Exception {
        LoopFixture f = new LoopFixture();
        Promise<?>[] p = new Promise[1];
        Thread t = new Thread(() -> p[0] = Promise.all(f.loop, List.of(1, 2, 3)));
        t.start();
        t.join(10_000);
        f.turns();
        assertThat((List<Object>) p[0].value()).containsExactly(1, 2, 3);
    }

    @Test
    void settlesAfterTheSameNumberOfTicksAsJavaScript() {
        // Node 20: Promise.all([1]).then(() => log("all")) next to a chain of three thens logs: t1 all t2 t3
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise.all(f.loop, List.of(1)).then(v -> f.log.add("all"));
            Promise.resolve(f.loop, 0).then(v -> f.log.add("t1")).then(v -> f.log.add("t2"))
                    .then(v -> f.log.add("t3"));
        });
        assertThat(f.log).containsExactly("t1", "all", "t2", "t3");
    }

    @Test
    void eachInputGoesThroughPromiseResolveSoAThrowingThenLookupRejects() {
        LoopFixture f = new LoopFixture();
        IllegalStateException fromGetter = new IllegalStateException("then getter threw");
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        org.eventloop4j.ThenableLookup hostile = () -> {
            lookups.incrementAndGet();
            throw fromGetter;
        };
        Promise<?>[] p = new Promise[1];
        f.run(() -> {
            p[0] = Promise.all(f.loop, List.of(1, hostile));
            p[0].catchError(e -> null);
        });
        assertThat(p[0].reason()).isSameAs(fromGetter);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void inputsFromAnotherLoopAreAdopted() throws Exception {
        LoopFixture f = new LoopFixture();
        org.eventloop4j.EventLoop other = org.eventloop4j.EventLoop.builder().build().start();
        try {
            Promise<String> foreign = Promise.resolve(other, "from the other loop");
            Promise<List<String>> all = Promise.all(f.loop, List.of(foreign, "local"));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (all.state() == Promise.State.PENDING && System.nanoTime() < deadline) {
                f.loop.runNow();
                Thread.onSpinWait();
            }
            assertThat(all.value()).containsExactly("from the other loop", "local");
        } finally {
            other.close();
        }
    }
}

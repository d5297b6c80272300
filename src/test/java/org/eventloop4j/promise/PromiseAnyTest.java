package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eventloop4j.AggregateException;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** {@code Promise.any}. */
class PromiseAnyTest {

    @Test
    void emptyInputRejectsWithAnAggregateWithNoReasons() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.any(f.loop, List.of());
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isInstanceOf(AggregateException.class);
        assertThat(((AggregateException) p.reason()).getErrors()).isEmpty();
    }

    @Test
    void fulfilsWithTheFirstFulfilmentIgnoringRejections() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> a = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> b = Promise.withResolvers(f.loop);
        Promise<String> p = Promise.any(f.loop, List.of(a.promise(), b.promise()));
        f.turns();
        f.run(() -> a.reject(new RuntimeException()));
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
        f.run(() -> b.resolve("b"));
        assertThat(p.value()).isEqualTo("b");
        assertThat(f.unhandled).isEmpty();
    }

    @Test
    void rejectsWithEveryReasonInInputOrderWhenAllReject() {
        LoopFixture f = new LoopFixture();
        RuntimeException r0 = new RuntimeException("0");
        RuntimeException r1 = new RuntimeException("1");
        RuntimeException r2 = new RuntimeException("2");
        Promise.Resolvers<String> a = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> b = Promise.withResolvers(f.loop);
        Promise<String> p = Promise.any(f.loop, List.of(a.promise(), b.promise(), Promise.reject(f.loop, r2)));
        p.catchError(e -> null);
        f.turns();
        f.run(() -> b.reject(r1));
        f.run(() -> a.reject(r0));
        AggregateException agg = (AggregateException) p.reason();
        assertThat(agg.getErrors()).containsExactly(r0, r1, r2);
        assertThat(agg.getErrors().get(0)).isSameAs(r0);
        assertThat(agg.getSuppressed()).containsExactly(r0, r1, r2);
        assertThat(agg).hasMessage("All promises were rejected");
    }
}

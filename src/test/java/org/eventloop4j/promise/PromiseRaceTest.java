package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** {@code Promise.race}. */
class PromiseRaceTest {

    @Test
    void emptyInputStaysPendingForever() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.race(f.loop, List.of());
        f.turns();
        f.clock.advance(1_000_000);
        f.turns();
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
    }

    @Test
    void settlesLikeTheFirstInputToFulfil() {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> a = Promise.withResolvers(f.loop);
        Promise.Resolvers<String> b = Promise.withResolvers(f.loop);
        Promise<String> p = Promise.race(f.loop, List.of(a.promise(), b.promise()));
        f.turns();
        f.run(() -> b.resolve("b"));
        f.run(() -> a.reject(new RuntimeException("too late")));
        assertThat(p.value()).isEqualTo("b");
        assertThat(f.unhandled).isEmpty();
    }

    @Test
    void settlesLikeTheFirstInputToRejectWithTheSameReason() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise.Resolvers<String> a = Promise.withResolvers(f.loop);
        Promise<String> p = Promise.race(f.loop, List.of(a.promise(), Promise.delay(f.loop, 100)));
        p.catchError(e -> null);
        f.turns();
        f.run(() -> a.reject(reason));
        assertThat(p.reason()).isSameAs(reason);
    }

    @Test
    void anAlreadySettledInputEarlierInTheListWins() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.race(f.loop, List.of("first", Promise.resolve(f.loop, "second")));
        f.turns();
        assertThat(p.value()).isEqualTo("first");
    }

    @Test
    void aTimerRaceIsDecidedByTheClock() {
        LoopFixture f = new LoopFixture();
        Promise<Object> p = Promise.race(f.loop, List.of(
                Promise.delay(f.loop, 50).then(v -> "slow"),
                Promise.delay(f.loop, 10).then(v -> "fast")));
        f.loop.advanceTime(10);
        assertThat(p.value()).isEqualTo("fast");
    }
}

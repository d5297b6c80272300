package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** {@code finallyDo}, as ECMAScript's {@code Promise.prototype.finally}. */
class PromiseFinallyTest {

    @Test
    void passesTheValueThroughAndIgnoresTheCallbacksResult() {
        LoopFixture f = new LoopFixture();
        Promise<String> p = Promise.resolve(f.loop, "v").finallyDo(() -> "ignored");
        f.turns();
        assertThat(p.value()).isEqualTo("v");
    }

    @Test
    void passesTheReasonThroughUnchanged() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        List<String> ran = new CopyOnWriteArrayList<>();
        Promise<String> p = Promise.<String>reject(f.loop, reason).finallyDo(() -> ran.add("finally"));
        p.catchError(e -> null);
        f.turns();
        assertThat(ran).containsExactly("finally");
        assertThat(p.reason()).isSameAs(reason);
    }

    @Test
    void aThrowingCallbackWins() {
        LoopFixture f = new LoopFixture();
        IllegalStateException boom = new IllegalStateException();
        Promise<String> p = Promise.<String>reject(f.loop, new RuntimeException("original"))
                .finallyDo(() -> {
                    throw boom;
                });
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(boom);
    }

    @Test
    void aReturnedRejectedPromiseWins() {
        LoopFixture f = new LoopFixture();
        RuntimeException fromFinally = new RuntimeException("finally");
        Promise<String> p = Promise.resolve(f.loop, "v").finallyDo(() -> Promise.reject(f.loop, fromFinally));
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(fromFinally);
    }

    @Test
    void aReturnedRejectingThenableWins() {
        LoopFixture f = new LoopFixture();
        RuntimeException fromFinally = new RuntimeException("thenable");
        Promise<String> p = Promise.resolve(f.loop, "v")
                .finallyDo(() -> (org.eventloop4j.Thenable) (resolve, reject) -> reject.accept(fromFinally));
        p.catchError(e -> null);
        f.turns();
        assertThat(p.reason()).isSameAs(fromFinally);
    }

    @Test
    void waitsForAReturnedPromiseThenPassesTheOriginalValue() {
        LoopFixture f = new LoopFixture();
        Promise<String> p = Promise.resolve(f.loop, "v").finallyDo(() -> Promise.delay(f.loop, 100));
        f.turns();
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
        f.loop.advanceTime(99);
        assertThat(p.state()).isEqualTo(Promise.State.PENDING);
        f.loop.advanceTime(1);
        assertThat(p.value()).isEqualTo("v");
    }

    @Test
    void theCallbackRunsOnceForEitherOutcome() {
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise.resolve(f.loop, 1).finallyDo(() -> f.log("after value"));
            Promise.reject(f.loop, new RuntimeException()).finallyDo(() -> f.log("after reason"))
                    .catchError(e -> null);
        });
        assertThat(f.log).containsExactly("after value", "after reason");
    }

    @Test
    void tickCountMatchesJavaScript() {
        // Node 20: p rejected (handled), p.finally(f).catch(c); resolve(1).finally(f1).then(v); a then-chain:
        // f f1 plain2 plain2 plain3 c v1 plain4
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise<Object> p = Promise.reject(f.loop, new RuntimeException());
            p.catchError(e -> null);
            p.finallyDo(() -> f.log("f")).catchError(e -> f.log.add("c"));
            Promise.resolve(f.loop, 1).finallyDo(() -> f.log("f1")).then(v -> f.log.add("v" + v));
            Promise.resolve(f.loop, 2).then(v -> f.log.add("plain" + v)).then(v -> f.log.add("plain2"))
                    .then(v -> f.log.add("plain3")).then(v -> f.log.add("plain4"));
        });
        assertThat(f.log).containsExactly("f", "f1", "plain2", "plain2", "plain3", "c", "v1", "plain4");
    }
}

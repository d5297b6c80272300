package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eventloop4j.AggregateException;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** Unhandled-rejection tracking, with Node's semantics. */
class UnhandledRejectionTest {

    @Test
    void aRejectionWithNoHandlerIsReportedOnceAtTheEndOfTheCheckpoint() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException("nobody listens");
        List<Throwable> reasons = new CopyOnWriteArrayList<>();
        Promise.onUnhandledRejection(f.loop, (p, r) -> {
            f.unhandled.add(p);
            reasons.add(r);
        });
        Promise<?>[] p = new Promise[1];
        f.run(() -> {
            p[0] = Promise.reject(f.loop, reason);
            f.loop.queueMicrotask(() -> f.log("microtask ran before the report: " + f.unhandled.isEmpty()));
        });
        f.run(() -> { });
        f.turns();
        assertThat(f.log).containsExactly("microtask ran before the report: true");
        assertThat(f.unhandled).containsExactly(p[0]);
        assertThat(reasons).containsExactly(reason);
    }

    @Test
    void aRejectionHandledWithinTheSameCheckpointIsNeverReported() {
        LoopFixture f = new LoopFixture();
        f.run(() -> {
            Promise<Object> p = Promise.reject(f.loop, new RuntimeException());
            // handled two microtasks later, still in this checkpoint
            f.loop.queueMicrotask(() -> f.loop.queueMicrotask(() -> p.catchError(e -> null)));
            f.loop.nextTick(() -> f.log("tick"));
        });
        f.turns();
        assertThat(f.log).containsExactly("tick");
        assertThat(f.unhandled).isEmpty();
        assertThat(f.handledLater).isEmpty();
    }

    @Test
    void aHandlerAttachedInALaterTaskReportsRejectionHandled() {
        LoopFixture f = new LoopFixture();
        Promise<?>[] p = new Promise[1];
        f.run(() -> p[0] = Promise.reject(f.loop, new RuntimeException()));
        assertThat(f.unhandled).containsExactly(p[0]);
        assertThat(f.handledLater).isEmpty();
        f.run(() -> p[0].catchError(e -> null));
        assertThat(f.handledLater).containsExactly(p[0]);
        f.run(() -> p[0].catchError(e -> null));
        assertThat(f.handledLater).as("reported once").hasSize(1);
        assertThat(f.unhandled).as("reported once").hasSize(1);
    }

    @Test
    void thenWithoutOnRejectedDoesNotHandleOnBehalfOfItsChild() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        List<Throwable> reasons = new CopyOnWriteArrayList<>();
        Promise.onUnhandledRejection(f.loop, (p, r) -> {
            f.unhandled.add(p);
            reasons.add(r);
        });
        Promise<?>[] parentAndChild = new Promise[2];
        f.run(() -> {
            parentAndChild[0] = Promise.reject(f.loop, reason);
            parentAndChild[1] = parentAndChild[0].then(v -> v);
        });
        assertThat(f.unhandled).containsExactly(parentAndChild[1]);
        assertThat(reasons).containsExactly(reason);
    }

    @Test
    void aHandlerThatThrowsReportsTheNewRejection() {
        LoopFixture f = new LoopFixture();
        IllegalStateException second = new IllegalStateException();
        List<Throwable> reasons = new CopyOnWriteArrayList<>();
        Promise.onUnhandledRejection(f.loop, (p, r) -> reasons.add(r));
        f.run(() -> Promise.reject(f.loop, new RuntimeException("first")).catchError(e -> {
            throw second;
        }));
        assertThat(reasons).containsExactly(second);
    }

    @Test
    void combinatorInputsAreHandledAndTheCombinedPromiseReports() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise<?>[] p = new Promise[3];
        f.run(() -> {
            p[0] = Promise.reject(f.loop, reason);
            p[1] = Promise.all(f.loop, List.of(p[0], 1));
            p[2] = Promise.any(f.loop, List.of(Promise.reject(f.loop, new RuntimeException())));
        });
        f.turns();
        assertThat(f.unhandled).containsExactlyInAnyOrder(p[1], p[2]);
        assertThat(p[1].reason()).isSameAs(reason);
        assertThat(p[2].reason()).isInstanceOf(AggregateException.class);
    }

    @Test
    void allSettledNeverReportsAndRaceReportsOnlyTheCombinedPromise() {
        LoopFixture f = new LoopFixture();
        Promise<?>[] p = new Promise[2];
        f.run(() -> {
            p[0] = Promise.allSettled(f.loop, List.of(Promise.reject(f.loop, new RuntimeException())));
            p[1] = Promise.race(f.loop, List.of(Promise.reject(f.loop, new RuntimeException())));
        });
        assertThat(f.unhandled).containsExactly(p[1]);
    }

    @Test
    void aFinallyChainHandlesItsSourceAndCarriesTheReportWithTheSameReason() {
        LoopFixture f = new LoopFixture();
        RuntimeException reason = new RuntimeException();
        Promise<?>[] p = new Promise[2];
        f.run(() -> {
            p[0] = Promise.reject(f.loop, reason);
            p[1] = p[0].finallyDo(() -> f.log("finally"));
        });
        assertThat(f.log).containsExactly("finally");
        assertThat(f.unhandled).containsExactly(p[1]);
        assertThat(p[1].reason()).isSameAs(reason);
    }

    @Test
    void aFinallyChainEndingInCatchReportsNothing() {
        LoopFixture f = new LoopFixture();
        f.run(() -> Promise.reject(f.loop, new RuntimeException()).finallyDo(() -> f.log("finally"))
                .catchError(e -> null));
        assertThat(f.unhandled).isEmpty();
    }

    @Test
    void adoptionHandlesTheAdoptedPromise() {
        LoopFixture f = new LoopFixture();
        Promise<Object>[] p = new Promise[2];
        f.run(() -> {
            p[0] = Promise.reject(f.loop, new RuntimeException());
            p[1] = Promise.resolve(f.loop, 1).thenCompose(v -> p[0]);
        });
        assertThat(f.unhandled).containsExactly(p[1]);
    }

    @Test
    void aThrowingUnhandledHandlerGoesToTheUncaughtExceptionHandler() {
        LoopFixture f = new LoopFixture();
        f.failOnUncaught = false;
        IllegalStateException fromHandler = new IllegalStateException("handler failed");
        Promise.onUnhandledRejection(f.loop, (p, r) -> {
            throw fromHandler;
        });
        f.run(() -> Promise.reject(f.loop, new RuntimeException()));
        assertThat(f.uncaught).containsExactly(fromHandler);
    }

    @Test
    void theHandlerMayQueueMicrotasksThatRunInTheSameCheckpoint() {
        LoopFixture f = new LoopFixture();
        Promise.onUnhandledRejection(f.loop, (p, r) -> {
            f.log("report");
            f.loop.queueMicrotask(() -> f.log("microtask from the handler"));
        });
        f.loop.execute(() -> Promise.reject(f.loop, new RuntimeException()));
        f.loop.execute(() -> f.log("next task"));
        f.turns();
        assertThat(f.log).containsExactly("report", "microtask from the handler", "next task");
    }

    @Test
    void aRejectionFromAnotherThreadIsReportedAtTheEndOfItsHandOff() throws Exception {
        LoopFixture f = new LoopFixture();
        Promise.Resolvers<String> r = Promise.withResolvers(f.loop);
        Thread t = new Thread(() -> r.reject(new RuntimeException()));
        t.start();
        t.join(10_000);
        f.turns();
        assertThat(f.unhandled).containsExactly(r.promise());
    }

    @Test
    void restoringTheDefaultHandlerStopsCallingTheOldOne() {
        LoopFixture f = new LoopFixture();
        Promise.onUnhandledRejection(f.loop, null);     // default: logged
        f.run(() -> Promise.reject(f.loop, new RuntimeException("logged, not collected")));
        assertThat(f.unhandled).isEmpty();
    }

    @Test
    void theTrackerIsInstalledLazilyByTheFirstRejectionOnAFreshLoop() {
        org.eventloop4j.EventLoop loop = org.eventloop4j.EventLoop.builder().exitWhenIdle(true).build();
        List<Throwable> reasons = new CopyOnWriteArrayList<>();
        RuntimeException reason = new RuntimeException("first rejection on this loop");
        loop.execute(() -> {
            Promise.reject(loop, reason);        // installs the per-loop tracker from inside a callback
            Promise.onUnhandledRejection(loop, (p, r) -> reasons.add(r));
        });
        loop.run();
        assertThat(reasons).containsExactly(reason);
    }
}

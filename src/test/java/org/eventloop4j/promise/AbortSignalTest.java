package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortException;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.OperationTimeoutException;
import org.junit.jupiter.api.Test;

/** {@code AbortController} and {@code AbortSignal}. */
class AbortSignalTest {

    @Test
    void abortWithoutAReasonUsesAnAbortError() {
        AbortController ac = new AbortController();
        assertThat(ac.signal().aborted()).isFalse();
        assertThat(ac.signal().reason()).isNull();
        ac.abort();
        assertThat(ac.signal().aborted()).isTrue();
        assertThat(ac.signal().reason()).isInstanceOf(AbortException.class)
                .isInstanceOf(java.util.concurrent.CancellationException.class)
                .hasMessage("This operation was aborted");
        assertThat(((AbortException) ac.signal().reason()).name()).isEqualTo("AbortError");
    }

    @Test
    void theFirstAbortWinsAndTheReasonIsKeptByIdentity() {
        AbortController ac = new AbortController();
        RuntimeException first = new RuntimeException("first");
        ac.abort(first);
        ac.abort(new RuntimeException("second"));
        ac.abort();
        assertThat(ac.signal().reason()).isSameAs(first);
    }

    @Test
    void throwIfAbortedThrowsTheReasonItselfEvenWhenChecked() {
        AbortController ac = new AbortController();
        assertThatCode(() -> ac.signal().throwIfAborted()).doesNotThrowAnyException();
        Exception checked = new java.io.IOException("checked reason");
        ac.abort(checked);
        assertThatThrownBy(() -> ac.signal().throwIfAborted()).isSameAs(checked);
    }

    @Test
    void listenersRunOnceInRegistrationOrder() {
        AbortController ac = new AbortController();
        List<String> log = new CopyOnWriteArrayList<>();
        Runnable a = () -> log.add("a");
        Runnable b = () -> log.add("b");
        Runnable removed = () -> log.add("removed");
        ac.signal().addListener(a);
        ac.signal().addListener(removed);
        ac.signal().addListener(b);
        ac.signal().addListener(a);     // the same listener twice registers it once, as in the DOM
        assertThat(ac.signal().removeListener(removed)).isTrue();
        ac.abort();
        ac.abort();
        assertThat(log).containsExactly("a", "b");
    }

    @Test
    void aListenerAddedAfterAbortIsNotCalled() {
        AbortController ac = new AbortController();
        ac.abort();
        AtomicInteger calls = new AtomicInteger();
        ac.signal().addListener(calls::incrementAndGet);
        assertThat(calls).hasValue(0);
    }

    @Test
    void anUnboundSignalRunsListenersOnTheAbortingThread() throws Exception {
        AbortController ac = new AbortController();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        ac.signal().addListener(() -> ranOn.set(Thread.currentThread()));
        Thread aborter = new Thread(ac::abort, "aborter");
        aborter.start();
        aborter.join(10_000);
        assertThat(ranOn.get()).isSameAs(aborter);
    }

    @Test
    void aBoundSignalRunsListenersOnTheLoopThread() throws Exception {
        LoopFixture f = new LoopFixture();
        AbortController ac = new AbortController(f.loop);
        List<Boolean> inLoop = new CopyOnWriteArrayList<>();
        ac.signal().addListener(() -> inLoop.add(f.loop.inLoop()));
        Thread aborter = new Thread(ac::abort);
        aborter.start();
        aborter.join(10_000);
        assertThat(inLoop).as("handed to the loop, not run on the aborter").isEmpty();
        f.turns();
        assertThat(inLoop).containsExactly(true);
    }

    @Test
    void aBoundSignalAbortedOnTheLoopRunsListenersSynchronously() {
        LoopFixture f = new LoopFixture();
        AbortController ac = new AbortController(f.loop);
        ac.signal().addListener(() -> f.log("listener"));
        f.run(() -> {
            ac.abort();
            f.log("after abort");
        });
        assertThat(f.log).containsExactly("listener", "after abort");
    }

    @Test
    void aThrowingListenerGoesToTheLoopsHandlerAndTheOthersStillRun() {
        LoopFixture f = new LoopFixture();
        f.failOnUncaught = false;
        AbortController ac = new AbortController(f.loop);
        IllegalStateException boom = new IllegalStateException();
        ac.signal().addListener(() -> {
            throw boom;
        });
        ac.signal().addListener(() -> f.log("second"));
        f.run(ac::abort);
        assertThat(f.uncaught).containsExactly(boom);
        assertThat(f.log).containsExactly("second");
    }

    @Test
    void timeoutAbortsWithATimeoutErrorAfterTheDelay() {
        LoopFixture f = new LoopFixture();
        AbortSignal s = AbortSignal.timeout(f.loop, 100);
        List<String> log = new CopyOnWriteArrayList<>();
        s.addListener(() -> log.add("aborted inLoop=" + f.loop.inLoop()));
        f.turns();
        f.loop.advanceTime(99);
        assertThat(s.aborted()).isFalse();
        f.loop.advanceTime(1);
        assertThat(s.aborted()).isTrue();
        assertThat(s.reason()).isInstanceOf(OperationTimeoutException.class);
        assertThat(((OperationTimeoutException) s.reason()).name()).isEqualTo("TimeoutError");
        assertThat(log).containsExactly("aborted inLoop=true");
    }

    @Test
    void timeoutDoesNotKeepTheLoopAlive() throws Exception {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        AtomicReference<AbortSignal> s = new AtomicReference<>();
        loop.execute(() -> s.set(AbortSignal.timeout(loop, 3_600_000)));
        loop.run();     // would block for an hour if the timer were ref'd
        assertThat(loop.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        assertThat(s.get().aborted()).isFalse();
    }

    @Test
    void anyAbortsWithTheReasonOfTheFirstInputToAbort() {
        AbortController a = new AbortController();
        AbortController b = new AbortController();
        AbortSignal any = AbortSignal.any(a.signal(), b.signal());
        RuntimeException reason = new RuntimeException("b");
        b.abort(reason);
        a.abort(new RuntimeException("a"));
        assertThat(any.aborted()).isTrue();
        assertThat(any.reason()).isSameAs(reason);
    }

    @Test
    void anyOfAnAlreadyAbortedInputIsAbortedAtOnce() {
        RuntimeException reason = new RuntimeException();
        AbortSignal any = AbortSignal.any(List.of(new AbortController().signal(), AbortSignal.abort(reason)));
        assertThat(any.aborted()).isTrue();
        assertThat(any.reason()).isSameAs(reason);
    }

    @Test
    void anyOfSignalsOfOneLoopIsBoundToIt() {
        LoopFixture f = new LoopFixture();
        AbortSignal any = AbortSignal.any(new AbortController(f.loop).signal(), AbortSignal.timeout(f.loop, 5));
        assertThat(any.loop()).isSameAs(f.loop);
        assertThat(AbortSignal.any(new AbortController(f.loop).signal(), new AbortController().signal()).loop())
                .isNull();
    }

    @Test
    void racingAbortAndAddListenerNeverRunsAListenerTwice() throws Exception {
        for (int round = 0; round < 500; round++) {
            AbortController ac = new AbortController();
            AtomicInteger calls = new AtomicInteger();
            Runnable listener = calls::incrementAndGet;
            CyclicBarrier go = new CyclicBarrier(2);
            CountDownLatch done = new CountDownLatch(1);
            Thread adder = new Thread(() -> {
                try {
                    go.await();
                    ac.signal().addListener(listener);
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    done.countDown();
                }
            });
            adder.start();
            go.await();
            ac.abort();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(calls.get()).isBetween(0, 1);
            ac.abort();
            assertThat(calls.get()).isBetween(0, 1);
        }
    }

    @Test
    void aSignalBoundToATerminatedLoopRunsListenersOnTheAbortingThread() {
        EventLoop loop = EventLoop.create();
        AbortController ac = new AbortController(loop);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        ac.signal().addListener(() -> ranOn.set(Thread.currentThread()));
        loop.close();
        ac.abort();
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }
}

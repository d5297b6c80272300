package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Adversarial concurrency tests of the loop's cross-thread protocols: the wakeup word, termination by
 * {@code shutdown()}, {@code close()} and {@code exitWhenIdle}, the idle claim of {@code driver}, timers created on
 * other threads and cleared on the loop, and embedders pumping with {@code runOnce()}.
 *
 * <p>Conventions: "accepted" means the submitting call returned without throwing. Every wait is bounded (10-30 s);
 * threads start together through a {@link CyclicBarrier} or a latch; the random element is a spin count before the
 * racing action, never a sleep. Tests marked {@code @Disabled("bug: ...")} demonstrate a defect of the main code and
 * fail until it is fixed; each says which interleaving it forces.
 */
class ConcurrencyStressTest {

    private static final long WAIT_S = 10;

    // ================================================================== exactly-once under shutdown / close

    /** How a round drives its loop. */
    private enum Driver { OWNED_THREAD, EMBEDDER_RUN_ONCE, OWNED_EXIT_WHEN_IDLE }

    /**
     * Producers submit through every cross-thread entry point (execute, setImmediate, queueMicrotask, nextTick,
     * onCloseCallback) while another thread calls {@code shutdown()} at a random point (and, in the exitWhenIdle
     * variant, a keep-alive hold is released at a random point, so the loop may also end on its own). Asserts that
     * every accepted submission ran exactly once, on the loop thread, that no rejected one ran, and that the loop
     * terminates. A third thread samples {@code state()} and asserts it never goes backwards.
     *
     * <p>Catches: a submission that passes the lifecycle check, is offered after the final drain and silently
     * dropped (the close/drain order in finishShutdown); a task run twice (a drain that re-polls); a lost wakeup on
     * shutdown (the loop never terminates); an embedder's runOnce missing the wakeup of a producer; state() showing
     * RUNNING after STOPPING. maxTasksPerTurn 8 and ingress chunks of 16 make the drain span many turns and chunks.
     */
    @Test
    void everyAcceptedSubmissionRunsExactlyOnceWhenShutdownRacesProducers() throws Exception {
        Driver[] drivers = Driver.values();
        for (int round = 0; round < 45; round++) {
            exactlyOnceRound(drivers[round % drivers.length], round, false);
        }
    }

    /**
     * As above with {@code close()} from another thread: accepted work may be discarded, but nothing runs twice,
     * nothing rejected runs, every submission after close() returned is rejected, close() returns (it waits for
     * termination), and nothing runs after close() returned.
     *
     * <p>Catches: close() hanging when it races a loop that is blocked in a wait or an embedder between pumps (the
     * CAS-or-wake retry), a callback running after close() returned, work accepted after close.
     */
    @Test
    void closeFromAnotherThreadAtARandomPointRunsNothingTwiceAndTerminates() throws Exception {
        Driver[] drivers = Driver.values();
        for (int round = 0; round < 45; round++) {
            exactlyOnceRound(drivers[round % drivers.length], round, true);
        }
    }

    private void exactlyOnceRound(Driver driver, int round, boolean useClose) throws Exception {
        String name = "stress-" + (useClose ? "close-" : "shutdown-") + round;
        EventLoop loop = EventLoop.builder()
                .threadName(name)
                .ingressChunkSize(16)
                .maxTasksPerTurn(8)
                .exitWhenIdle(driver == Driver.OWNED_EXIT_WHEN_IDLE)
                .uncaughtExceptionHandler((l, e) -> { })   // submissions rejected inside callbacks are expected
                .build();
        KeepAlive hold = driver == Driver.OWNED_EXIT_WHEN_IDLE ? loop.keepAlive() : null;
        Thread embedder = null;
        AtomicReference<Throwable> embedderFailure = new AtomicReference<>();
        if (driver == Driver.EMBEDDER_RUN_ONCE) {
            embedder = new Thread(() -> {
                while (loop.state() != LoopState.TERMINATED) {
                    try {
                        loop.runOnce();
                    } catch (IllegalStateException e) {
                        // Known bug, reported: a pump racing close() from another thread throws ("terminated" or
                        // "already being run by" the closing thread) instead of returning false. Tolerated here
                        // only for close(); with shutdown() nothing else takes driver, so any throw is a failure.
                        if (!useClose) {
                            embedderFailure.compareAndSet(null, e);
                            return;
                        }
                    } catch (RuntimeException e) {
                        embedderFailure.compareAndSet(null, e);
                        return;
                    }
                }
            }, name + "-embedder");
            embedder.start();
        } else {
            loop.start();
        }
        // Producers start only once a thread drives the loop: an idle claim racing the loop thread's first
        // enterDriver is a separate bug (see startWhileAnotherThreadHoldsAnIdleClaimStillDrivesTheLoop).
        CompletableFuture<Void> driven = new CompletableFuture<>();
        loop.execute(() -> driven.complete(null));
        driven.get(WAIT_S, TimeUnit.SECONDS);

        int producers = 3;
        int perProducer = 1500;
        int total = producers * perProducer;
        AtomicIntegerArray runs = new AtomicIntegerArray(total);
        AtomicInteger offLoop = new AtomicInteger();
        AtomicInteger ranAfterClose = new AtomicInteger();
        AtomicBoolean closeReturned = new AtomicBoolean();
        boolean[][] accepted = new boolean[producers][perProducer];
        CyclicBarrier start = new CyclicBarrier(producers + 2);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int pid = p;
            threads.add(new Thread(() -> {
                await(start);
                int releaseAt = hold != null && pid == 0 ? ThreadLocalRandom.current().nextInt(perProducer) : -1;
                for (int i = 0; i < perProducer; i++) {
                    if (i == releaseAt) {
                        // Released before this thread's remaining submissions: an accepted one after it wakes
                        // the loop, so this cannot hit the keep-alive lost wakeup reported separately.
                        hold.close();
                    }
                    int slot = pid * perProducer + i;
                    Runnable task = () -> {
                        if (!loop.inLoop()) {
                            offLoop.incrementAndGet();
                        }
                        if (closeReturned.get()) {
                            ranAfterClose.incrementAndGet();
                        }
                        runs.incrementAndGet(slot);
                    };
                    try {
                        submit(loop, driver, i, task);
                        accepted[pid][i] = true;
                    } catch (RejectedExecutionException e) {
                        accepted[pid][i] = false;
                    }
                }
                if (hold != null && pid == 0 && releaseAt < 0) {
                    hold.close();
                }
            }, name + "-producer-" + p));
        }
        int stopAfterSpins = ThreadLocalRandom.current().nextInt(60_000);
        AtomicReference<String> closerError = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            await(start);
            for (int s = stopAfterSpins; s > 0; s--) {
                Thread.onSpinWait();
            }
            if (useClose) {
                loop.close();
                closeReturned.set(true);
                if (loop.state() != LoopState.TERMINATED) {
                    closerError.set("close() returned before the loop terminated: " + loop.state());
                }
                try {
                    loop.execute(() -> { });
                    closerError.set("execute() accepted a task after close() returned");
                } catch (RejectedExecutionException expected) {
                    // ok
                }
            } else {
                loop.shutdown();
            }
        }, name + "-stopper");
        StateSampler sampler = new StateSampler(loop);
        threads.forEach(Thread::start);
        stopper.start();
        sampler.start();
        await(start);

        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as("%s: producer stuck", name).isFalse();
        }
        stopper.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(stopper.isAlive()).as("%s: close()/shutdown() did not return", name).isFalse();
        assertThat(loop.awaitTermination(30, TimeUnit.SECONDS)).as("%s (%s) terminates", name, driver).isTrue();
        if (embedder != null) {
            embedder.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            assertThat(embedder.isAlive()).as("%s: embedder still pumping after termination", name).isFalse();
        }
        assertThat(embedderFailure.get()).as("%s: runOnce() threw", name).isNull();
        sampler.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertThat(sampler.error.get()).as(name).isNull();
        assertThat(closerError.get()).as(name).isNull();
        assertThat(offLoop.get()).as("%s: callbacks off the loop thread", name).isZero();
        assertThat(ranAfterClose.get()).as("%s: callbacks after close() returned", name).isZero();
        int ran = 0;
        int acceptedCount = 0;
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < perProducer; i++) {
                int slot = p * perProducer + i;
                int n = runs.get(slot);
                if (accepted[p][i]) {
                    acceptedCount++;
                    if (useClose) {
                        assertThat(n).as("%s (%s): accepted %d/%d ran %d times", name, driver, p, i, n).isLessThanOrEqualTo(1);
                    } else {
                        assertThat(n).as("%s (%s): accepted %d/%d ran %d times", name, driver, p, i, n).isEqualTo(1);
                    }
                } else {
                    assertThat(n).as("%s (%s): rejected %d/%d ran", name, driver, p, i).isZero();
                }
                ran += n;
            }
        }
        assertThat(ran).isLessThanOrEqualTo(acceptedCount);
    }

    /** Cycles through the cross-thread entry points; none of them takes the idle claim on a driven loop. */
    private static void submit(EventLoop loop, Driver driver, int i, Runnable task) {
        switch (i % 5) {
            case 0:
                loop.execute(task);
                break;
            case 1:
                // setImmediate from another thread takes the idle claim when nobody drives; an embedder between
                // pumps is such a moment, and the claim then breaks runOnce (reported separately).
                if (driver == Driver.EMBEDDER_RUN_ONCE) {
                    loop.execute(task);
                } else {
                    loop.setImmediate(task);
                }
                break;
            case 2:
                loop.queueMicrotask(task);
                break;
            case 3:
                loop.nextTick(task);
                break;
            default:
                loop.onCloseCallback(task);
                break;
        }
    }

    /** Samples state() until TERMINATED and records the first time it goes backwards. */
    private static final class StateSampler extends Thread {
        final EventLoop loop;
        final AtomicReference<String> error = new AtomicReference<>();

        StateSampler(EventLoop loop) {
            super("state-sampler");
            this.loop = loop;
            setDaemon(true);
        }

        @Override
        public void run() {
            int last = 0;
            LoopState lastState = LoopState.NEW;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                LoopState s = loop.state();
                int rank = rank(s);
                if (rank < last) {
                    error.set("state() went backwards: " + lastState + " then " + s);
                    return;
                }
                last = rank;
                lastState = s;
                if (s == LoopState.TERMINATED) {
                    return;
                }
                Thread.onSpinWait();
            }
        }

        private static int rank(LoopState s) {
            switch (s) {
                case NEW:
                    return 0;
                case RUNNING:
                case SLEEPING:
                    return 1;
                case STOPPING:
                    return 2;
                default:
                    return 3;
            }
        }
    }

    // ================================================================== waking a blocked loop to terminate

    /**
     * close() or shutdown() from another thread while the loop is blocked in each kind of wait: park without a
     * deadline, park towards a far timer deadline, and Selector.select (a registered pipe). Catches: a lost wakeup
     * on the stop path (the loop sleeps on, close() spins forever, shutdown's future never completes), a wake
     * delivered to the wrong mechanism (an unpark while the loop is in select()).
     */
    @Test
    void closeOrShutdownWakesALoopBlockedInEachKindOfWait() throws Exception {
        for (int round = 0; round < 36; round++) {
            int wait = round % 3;
            boolean useClose = (round / 3) % 2 == 0;
            EventLoop loop = EventLoop.builder().threadName("stress-wait-" + round).build();
            Pipe pipe = null;
            if (wait == 1) {
                loop.setTimeout(() -> { }, 3_600_000);
            } else if (wait == 2) {
                pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                loop.register(pipe.source(), IoEvents.READ, (r, ev) -> { });
            }
            loop.start();
            awaitCondition(() -> loop.state() == LoopState.SLEEPING, "loop asleep, round " + round);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                if (useClose) {
                    loop.close();
                } else {
                    loop.shutdown();
                }
            }, r -> new Thread(r, "stress-stopper").start());
            stopped.get(WAIT_S, TimeUnit.SECONDS);
            assertThat(loop.awaitTermination(WAIT_S, TimeUnit.SECONDS))
                    .as("round %d: wait kind %d, %s", round, wait, useClose ? "close" : "shutdown").isTrue();
            if (pipe != null) {
                pipe.source().close();
                pipe.sink().close();
            }
        }
    }

    /**
     * {@code start()} immediately followed by {@code shutdown()}: the owned thread may not have entered the loop
     * yet. Everything accepted before start() (through the ingress and the idle claim) runs exactly once and the loop terminates.
     * Catches: a shutdown that finds RUNNING but no driver and is lost; pre-start work dropped.
     */
    @Test
    void startImmediatelyFollowedByShutdownRunsEverythingAcceptedExactlyOnce() throws Exception {
        for (int round = 0; round < 150; round++) {
            EventLoop loop = EventLoop.builder().threadName("stress-start-shutdown-" + round).build();
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            loop.execute(() -> runs.incrementAndGet(0));
            loop.setImmediate(() -> runs.incrementAndGet(1));     // idle claim on the NEW loop: direct path
            loop.nextTick(() -> runs.incrementAndGet(2));
            loop.onCloseCallback(() -> runs.incrementAndGet(3));
            loop.start();
            loop.shutdown();
            assertThat(loop.awaitTermination(WAIT_S, TimeUnit.SECONDS)).as("round " + round).isTrue();
            for (int i = 0; i < 4; i++) {
                assertThat(runs.get(i)).as("round %d, submission %d", round, i).isEqualTo(1);
            }
        }
    }

    /**
     * BUG: {@code start()} immediately followed by {@code close()} makes the owned loop thread fail. close() finds
     * nobody driving, claims {@code driver} and terminates the loop on the caller; the owned thread then reaches
     * {@code run()} -> {@code enterDriver}, which throws IllegalStateException ("the loop has terminated", or
     * "already being run by thread" while close() still holds driver); {@code runOwned} logs it at ERROR and
     * rethrows, so a legitimate call sequence produces an uncaught exception and an error log. The loop itself does
     * terminate. Not forced: close() usually wins the race against the thread's start-up; 20 rounds make a
     * pass on the buggy code very unlikely.
     */
    @Test
    void startImmediatelyFollowedByCloseTerminatesWithoutTheLoopThreadFailing() throws Exception {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (t.getName().startsWith("stress-start-close-")) {
                failures.add(e);
            } else if (previous != null) {
                previous.uncaughtException(t, e);
            }
        });
        try {
            for (int round = 0; round < 20; round++) {
                String name = "stress-start-close-" + round;
                EventLoop loop = EventLoop.builder().threadName(name).build();
                loop.start();
                loop.close();
                assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
                // Not listed: it has finished, and its uncaught-exception dispatch with it.
                Optional<Thread> owned = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals(name)).findFirst();
                if (owned.isPresent()) {
                    owned.get().join(TimeUnit.SECONDS.toMillis(WAIT_S));
                    assertThat(owned.get().isAlive()).isFalse();
                }
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertThat(failures).as("uncaught exceptions of owned loop threads").isEmpty();
    }

    // ================================================================== the idle claim

    /**
     * BUG: an idle claim (another thread's setTimeout/setImmediate/clearTimeout/isTimerActive/... on a loop nobody
     * drives) makes the owned thread's {@code run()} fail. {@code start()} sets RUNNING and starts the thread; if
     * another thread holds {@code driver} through {@code directMode}/{@code onLoopOrIdle} at the moment the thread
     * runs {@code enterDriver}, its CAS fails, it throws "already being run by thread", and the loop is left
     * RUNNING with no driver: executed tasks never run and shutdown() never terminates it.
     *
     * <p>Forced deterministically: a thread's {@code clearTimeout} takes the idle claim, and the test's clock (read
     * inside {@code directMode} while the claim is held) keeps the claim until the owned loop thread has died, or
     * for at most one second (a fixed loop thread waits for the claim instead of dying; the outcome asserted does
     * not depend on that bound).
     */
    @Test
    void startWhileAnotherThreadHoldsAnIdleClaimStillDrivesTheLoop() throws Exception {
        HookClock clock = new HookClock("directMode");
        EventLoop loop = EventLoop.builder().clock(clock).threadName("stress-claim-start").build();
        try {
            holdIdleClaimDuring(loop, clock, "stress-claim-start", loop::start);
            CompletableFuture<Void> ran = new CompletableFuture<>();
            loop.execute(() -> ran.complete(null));
            assertThat(ran).as("a task executed after start() runs").succeedsWithin(WAIT_S, TimeUnit.SECONDS);
        } finally {
            loop.close();
        }
    }

    /**
     * BUG: as above for {@code shutdown()} of a NEW loop: it sets STOPPING and starts a drain thread whose
     * {@code run()} fails its CAS against the idle claim; {@code drainUnstarted} catches the IllegalStateException
     * assuming "someone else drives it", but an idle claimer does not drain, so the loop never terminates and the
     * accepted task never runs. Forced as in {@link #startWhileAnotherThreadHoldsAnIdleClaimStillDrivesTheLoop}.
     */
    @Test
    void shutdownOfANewLoopWhileAnotherThreadHoldsAnIdleClaimStillTerminates() throws Exception {
        HookClock clock = new HookClock("directMode");
        EventLoop loop = EventLoop.builder().clock(clock).threadName("stress-claim-shutdown").build();
        AtomicInteger ran = new AtomicInteger();
        loop.execute(ran::incrementAndGet);
        try {
            holdIdleClaimDuring(loop, clock, "stress-claim-shutdown-shutdown", loop::shutdown);
            assertThat(loop.awaitTermination(WAIT_S, TimeUnit.SECONDS)).as("the loop terminates").isTrue();
            assertThat(ran.get()).as("the task accepted before shutdown ran").isEqualTo(1);
        } finally {
            loop.close();
        }
    }

    /**
     * Runs {@code action} (which starts a thread named {@code threadName} that will try to drive the loop) while
     * another thread holds the idle claim, and keeps the claim until that thread has died or for at most 1 s.
     */
    private static void holdIdleClaimDuring(EventLoop loop, HookClock clock, String threadName, Runnable action)
            throws Exception {
        CountDownLatch claimHeld = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicReference<Thread> contender = new AtomicReference<>();
        AtomicBoolean hookRan = new AtomicBoolean();
        clock.arm(() -> {
            hookRan.set(true);
            claimHeld.countDown();
            try {
                if (proceed.await(WAIT_S, TimeUnit.SECONDS) && contender.get() != null) {
                    contender.get().join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread claimer = new Thread(() -> loop.clearTimeout(1), "stress-idle-claimer");
        claimer.start();
        assertThat(claimHeld.await(WAIT_S, TimeUnit.SECONDS)).as("the idle claim was taken").isTrue();
        action.run();
        contender.set(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(threadName)).findFirst().orElse(null));   // null: already gone
        proceed.countDown();
        claimer.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertThat(hookRan.get()).isTrue();
    }

    /**
     * BUG: an embedder pumping with {@code runOnce()} gets IllegalStateException ("already being run by thread")
     * whenever another thread's setImmediate/setTimeout takes the idle claim between two pumps. The brief of
     * runOnce() says it throws only if another thread is <em>driving</em> the loop; an idle claim is not driving.
     */
    @Test
    void runOnceNeverFailsWhenAnotherThreadSchedulesBetweenPumps() throws Exception {
        EventLoop loop = EventLoop.builder().threadName("stress-embedder-claims").build();
        int n = 20_000;
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger pumpFailures = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread embedder = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ran.get() < n && System.nanoTime() < deadline) {
                try {
                    loop.runOnce();
                } catch (IllegalStateException e) {
                    pumpFailures.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
            }
        }, "stress-embedder");
        Thread scheduler = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < n; i++) {
                loop.setImmediate(ran::incrementAndGet);
            }
        }, "stress-scheduler");
        embedder.start();
        scheduler.start();
        go.countDown();
        scheduler.join(TimeUnit.SECONDS.toMillis(30));
        embedder.join(TimeUnit.SECONDS.toMillis(30));
        loop.close();
        assertThat(pumpFailures.get()).as("runOnce() failures, first: %s", firstFailure.get()).isZero();
        assertThat(ran.get()).isEqualTo(n);
    }

    // ================================================================== the wake word (Dekker) protocol

    /**
     * The core Dekker argument, forced: another thread submits (execute, setImmediate, a timer due before the
     * loop's deadline, clearTimeout) exactly while the loop is between its last look at the ingress
     * ({@code mayBlockNow}) and the publication of its deadline in {@code wake}. The submitter reads
     * {@code wake == AWAKE} and sends no signal, so only the loop's re-check of {@code hasPending()} after the
     * volatile write of {@code wake} keeps the submission from waiting until the loop's timer (an hour away).
     * The injection runs inside {@code computeTimeout()} (the clock read there is in that window). Catches: a
     * missing or misplaced re-check, a {@code hasPending()} that misses a claimed element, a plain (non-volatile)
     * write of {@code wake}.
     */
    @Test
    void aSubmissionRacingTheLoopsDecisionToSleepIsNeverLost() throws Exception {
        for (int kind = 0; kind < 4; kind++) {
            for (int round = 0; round < 5; round++) {
                HookClock clock = new HookClock("computeTimeout");
                // kind 3 clears the loop's only timer: an exitWhenIdle loop must then notice it is idle and exit
                EventLoop loop = EventLoop.builder().clock(clock).exitWhenIdle(kind == 3)
                        .threadName("stress-dekker-" + kind).build();
                long far = loop.setTimeout(() -> { }, 3_600_000);      // a deadline, so computeTimeout reads the clock
                CompletableFuture<Void> ran = kind == 3
                        ? loop.terminationFuture().toCompletableFuture() : new CompletableFuture<>();
                int k = kind;
                AtomicBoolean injected = new AtomicBoolean();
                clock.arm(() -> {
                    Thread submitter = new Thread(() -> {
                        switch (k) {
                            case 0:
                                loop.execute(() -> ran.complete(null));
                                break;
                            case 1:
                                loop.setImmediate(() -> ran.complete(null));
                                break;
                            case 2:
                                loop.setTimeout(() -> ran.complete(null), 0);     // due long before the loop's deadline
                                break;
                            default:
                                loop.clearTimeout(far);                        // a command through the ingress
                                break;
                        }
                    }, "stress-dekker-submitter");
                    submitter.start();
                    joinQuietly(submitter);
                    injected.set(true);
                });
                loop.start();
                try {
                    assertThat(ran).as("kind %d round %d: submission seen without a signal", kind, round)
                            .succeedsWithin(WAIT_S, TimeUnit.SECONDS);
                    assertThat(injected.get()).as("the submission was injected inside computeTimeout").isTrue();
                } finally {
                    loop.close();
                }
            }
        }
    }

    /**
     * The same window swept at random instead of forced: each round submits one task after a random busy wait
     * following the previous one and waits for it; nothing else would wake the loop, so a lost wakeup fails the
     * round by timeout. Catches the Dekker bugs above and a signal sent to the wrong mechanism (the loop blocks in
     * Selector.select in odd rounds' loops).
     */
    @Test
    void eachSingleSubmissionWakesTheLoopWhateverItsPhase() throws Exception {
        for (int variant = 0; variant < 2; variant++) {
            EventLoop loop = EventLoop.builder().threadName("stress-single-wake-" + variant).build();
            Pipe pipe = null;
            if (variant == 1) {
                pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                loop.register(pipe.source(), IoEvents.READ, (r, ev) -> { });
            }
            loop.start();
            try {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int round = 0; round < 1500; round++) {
                    long until = System.nanoTime() + rnd.nextInt(40_000);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    CompletableFuture<Void> ran = new CompletableFuture<>();
                    if (round % 3 == 2) {
                        loop.setTimeout(() -> ran.complete(null), 0);
                    } else {
                        loop.execute(() -> ran.complete(null));
                    }
                    assertThat(ran).as("variant %d round %d", variant, round).succeedsWithin(WAIT_S, TimeUnit.SECONDS);
                }
            } finally {
                loop.close();
                if (pipe != null) {
                    pipe.source().close();
                    pipe.sink().close();
                }
            }
        }
    }

    /**
     * exitWhenIdle loops end themselves the moment their ingress is empty, which races producers that passed the
     * lifecycle check just before: such a submission is accepted (the ingress is not closed yet) and must run in
     * the final drain. Producers submit at a rate close to the loop's, so the loop often finds the queue empty for
     * an instant while a producer is mid-offer. Catches a finishShutdown that closes the ingress without running what
     * slipped in, and a loop that terminates with accepted work (ran != accepted).
     */
    @Test
    void anExitWhenIdleLoopRunsEverySubmissionThatSlippedInBeforeItClosed() throws Exception {
        for (int round = 0; round < 300; round++) {
            EventLoop loop = EventLoop.builder().exitWhenIdle(true).threadName("stress-idle-exit-" + round)
                    .uncaughtExceptionHandler((l, e) -> { }).build();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger ran = new AtomicInteger();
            KeepAlive hold = loop.keepAlive();
            loop.start();
            CompletableFuture<Void> driven = new CompletableFuture<>();
            loop.execute(() -> driven.complete(null));
            driven.get(WAIT_S, TimeUnit.SECONDS);
            CyclicBarrier start = new CyclicBarrier(3);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                threads.add(new Thread(() -> {
                    await(start);
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int i = 0; i < 4000; i++) {
                        try {
                            loop.execute(ran::incrementAndGet);
                            accepted.incrementAndGet();
                        } catch (RejectedExecutionException e) {
                            return;
                        }
                        for (int s = rnd.nextInt(40); s > 0; s--) {
                            Thread.onSpinWait();
                        }
                    }
                }, "stress-idle-exit-producer"));
            }
            threads.forEach(Thread::start);
            await(start);
            hold.close();       // from now on the loop exits at its first idle instant
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(loop.awaitTermination(30, TimeUnit.SECONDS)).as("round " + round).isTrue();
            assertThat(ran.get()).as("round %d: ran = accepted", round).isEqualTo(accepted.get());
        }
    }

    // ================================================================== keep-alive wakeups

    /**
     * BUG (lost wakeup): with exitWhenIdle, the last keep-alive hold released while the loop is between its liveness
     * check ({@code mayBlockNow} reads {@code holds > 0}) and the publication of its sleep deadline in {@code wake}.
     * The release's {@code wakeUp()} finds {@code wake == AWAKE} and signals nothing; the loop then publishes the
     * deadline, re-checks only ingress/closeRequested/STOPPING (not {@code holds}) and parks until its next timer
     * (here an unref'd one in an hour, or forever without one), instead of exiting. The test forces that
     * interleaving through the clock: {@code computeTimeout()} reads the clock inside the window, and the test's
     * clock releases the hold from another thread at that moment.
     */
    @Test
    void keepAliveReleasedWhileTheLoopDecidesToSleepStillLetsAnIdleLoopExit() throws Exception {
        HookClock clock = new HookClock("computeTimeout");
        EventLoop loop = EventLoop.builder().clock(clock).exitWhenIdle(true).threadName("stress-keepalive").build();
        KeepAlive hold = loop.keepAlive();
        long far = loop.setTimeout(() -> { }, 3_600_000);
        loop.unrefTimer(far);                          // a deadline to compute, but nothing keeping the loop alive
        AtomicBoolean injected = new AtomicBoolean();
        clock.arm(() -> {
            Thread releaser = new Thread(hold::close, "stress-keepalive-releaser");
            releaser.start();
            joinQuietly(releaser);
            injected.set(true);
        });
        loop.start();
        try {
            awaitCondition(injected::get, "the clock hook ran inside computeTimeout");
            assertThat(loop.awaitTermination(WAIT_S, TimeUnit.SECONDS))
                    .as("an exitWhenIdle loop whose last hold was released exits").isTrue();
        } finally {
            loop.close();
        }
    }

    /**
     * Control for the test above: the same hold released when the loop is already asleep is seen (the wake word
     * protocol works when the release comes after the deadline was published). Catches a keepAlive close that
     * forgets to wake at all.
     */
    @Test
    void keepAliveReleasedWhileTheLoopSleepsLetsAnIdleLoopExit() throws Exception {
        for (int round = 0; round < 30; round++) {
            EventLoop loop = EventLoop.builder().exitWhenIdle(true).threadName("stress-keepalive-" + round).build();
            KeepAlive hold = loop.keepAlive();
            loop.start();
            awaitCondition(() -> loop.state() == LoopState.SLEEPING, "asleep");
            CompletableFuture.runAsync(hold::close, r -> new Thread(r, "stress-releaser").start());
            assertThat(loop.awaitTermination(WAIT_S, TimeUnit.SECONDS)).as("round " + round).isTrue();
        }
    }

    /**
     * BUG (lost wakeup): {@link ManualClock#advance} from another thread while the loop is between
     * {@code computeTimeout()} (which read the clock and found the next timer not yet due) and the publication of
     * its sleep deadline. The clock listener's {@code wakeUp()} finds {@code wake == AWAKE} and signals nothing; the
     * loop then parks without a time limit (a manual clock never sleeps towards a deadline) and its re-check does
     * not look at the clock, so the now-due timer never fires until some other event wakes the loop. Not forceable
     * through the API (the loop only treats a {@code ManualClock} as manual, and that class is final), so this is a
     * stress test: each round sets a 1 ms timer from this thread (which wakes the loop) and advances the clock by
     * 1 ms after a random busy wait that sweeps over the loop's path to its next sleep. On the 2-core build machine
     * it caught the bug in about one run out of three (the window is a few instructions wide); correct code always
     * passes. {@link #keepAliveReleasedWhileTheLoopDecidesToSleepStillLetsAnIdleLoopExit} forces the same root
     * cause deterministically.
     */
    @Test
    void manualClockAdvancedFromAnotherThreadAlwaysFiresTheDueTimer() throws Exception {
        ManualClock clock = new ManualClock();
        EventLoop loop = EventLoop.builder().clock(clock).threadName("stress-manual-clock").build().start();
        try {
            CompletableFuture<Void> driven = new CompletableFuture<>();
            loop.execute(() -> driven.complete(null));
            driven.get(WAIT_S, TimeUnit.SECONDS);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int round = 0; round < 12_000; round++) {
                CompletableFuture<Void> fired = new CompletableFuture<>();
                loop.setTimeout(() -> fired.complete(null), 1);     // through the ingress: wakes the loop
                long until = System.nanoTime() + rnd.nextInt(round % 2 == 0 ? 8_000 : 40_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                clock.advance(1);
                assertThat(fired).as("round %d: the timer due after advance(1) fires", round)
                        .succeedsWithin(WAIT_S, TimeUnit.SECONDS);
            }
        } finally {
            loop.close();
        }
    }

    // ================================================================== timers from other threads

    /**
     * Timers and immediates are created on producer threads (through the ingress) and half of them are cleared on
     * the loop thread as soon as their ids are known, often while their creation is still queued behind the
     * clearing task (maxTasksPerTurn 4 keeps a backlog): the {@code clearedEarly} path. Asserts that nothing fires
     * after the loop cleared it, nothing fires twice, and everything not cleared fires. Catches: clearedEarly
     * emptied while a cleared timer is still in the ingress (the budget leaves it for a later turn), a clear that
     * is dropped because {@code hasPending()} missed the creation, an immediate cleared early that still runs.
     */
    @Test
    void timersCreatedOnOtherThreadsAndClearedOnTheLoopNeverFireAfterTheClear() throws Exception {
        for (int round = 0; round < 3; round++) {
            EventLoop loop = EventLoop.builder().threadName("stress-clear-" + round)
                    .ingressChunkSize(16).maxTasksPerTurn(4).build().start();
            CompletableFuture<Void> driven = new CompletableFuture<>();
            loop.execute(() -> driven.complete(null));
            driven.get(WAIT_S, TimeUnit.SECONDS);

            int producers = 2;
            int perProducer = 2500;
            int total = producers * perProducer;
            long[] ids = new long[total];                    // written by producers, read on the loop after publish
            ConcurrentLinkedQueue<Integer> published = new ConcurrentLinkedQueue<>();
            // Loop-thread-only state:
            boolean[] fired = new boolean[total];
            boolean[] clearedBeforeFiring = new boolean[total];
            int[] violations = new int[1];
            CountDownLatch settled = new CountDownLatch(total);
            Runnable drainAndClear = () -> {
                Integer k;
                while ((k = published.poll()) != null) {
                    int idx = k;
                    if (idx % 2 != 0) {
                        continue;                            // odd: must fire
                    }
                    if (!fired[idx]) {
                        clearedBeforeFiring[idx] = true;
                        settled.countDown();
                    }
                    if (idx % 4 == 0) {
                        loop.clearTimeout(ids[idx]);
                    } else {
                        loop.clearImmediate(ids[idx]);
                    }
                }
            };
            AtomicBoolean producersDone = new AtomicBoolean();
            CyclicBarrier start = new CyclicBarrier(producers + 1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                threads.add(new Thread(() -> {
                    await(start);
                    for (int i = 0; i < perProducer; i++) {
                        int idx = base + i;
                        Runnable cb = () -> {
                            if (clearedBeforeFiring[idx] || fired[idx]) {
                                violations[0]++;
                            } else {
                                fired[idx] = true;
                                settled.countDown();
                            }
                        };
                        // idx % 4 == 0 or 1: timeout; 2 or 3: immediate (even ones are cleared)
                        ids[idx] = idx % 4 < 2 ? loop.setTimeout(cb, 0) : loop.setImmediate(cb);
                        published.add(idx);                  // happens-before the loop's poll of idx
                    }
                }, "stress-timer-producer-" + p));
            }
            Thread clearer = new Thread(() -> {
                await(start);
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!producersDone.get()) {
                    loop.execute(drainAndClear);
                    for (int s = rnd.nextInt(2000); s > 0; s--) {
                        Thread.onSpinWait();
                    }
                }
                loop.execute(drainAndClear);                 // after the last publication
            }, "stress-clearer");
            threads.forEach(Thread::start);
            clearer.start();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            producersDone.set(true);
            clearer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(settled.await(30, TimeUnit.SECONDS)).as("round %d: every timer fired or was cleared, %d left",
                    round, settled.getCount()).isTrue();
            CompletableFuture<Integer> v = new CompletableFuture<>();
            loop.execute(() -> v.complete(violations[0]));
            assertThat(v.get(WAIT_S, TimeUnit.SECONDS)).as("round %d: fired after clear or twice", round).isZero();
            loop.close();
        }
    }

    /**
     * BUG: {@code unrefTimer}/{@code refreshTimer} of a timer whose creation (from another thread) is still in the
     * ingress is silently lost, although {@code setTimeout} returned its id before the call (program order, or a
     * happens-before through a hand-off). {@code clearTimeout} handles exactly this case with {@code clearedEarly};
     * {@code applyTimerOp} just returns when {@code timerById} has no entry. Forced deterministically: a loop task
     * blocks until another thread's setTimeout has returned (so the timer is queued behind the running task), then
     * unrefs it on the loop thread. The same happens on any thread that takes the idle claim between an embedder's
     * pumps after its own setTimeout went through the ingress.
     */
    @Test
    void unrefOfATimerStillInTheIngressIsNotLost() throws Exception {
        EventLoop loop = EventLoop.builder().threadName("stress-unref").build().start();
        try {
            CompletableFuture<Boolean> refAfterwards = new CompletableFuture<>();
            loop.execute(() -> {
                CompletableFuture<Long> created = new CompletableFuture<>();
                new Thread(() -> created.complete(loop.setTimeout(() -> { }, 3_600_000)), "stress-unref-creator")
                        .start();
                long id;
                try {
                    id = created.get(WAIT_S, TimeUnit.SECONDS);   // the timer now waits in the ingress behind us
                } catch (Exception e) {
                    refAfterwards.completeExceptionally(e);
                    return;
                }
                loop.unrefTimer(id);
                // Checked in a later task: by then the creation has been taken in.
                loop.execute(() -> loop.execute(() -> refAfterwards.complete(
                        loop.isTimerActive(id) ? loop.hasRef(id) : null)));
            });
            assertThat(refAfterwards.get(WAIT_S, TimeUnit.SECONDS))
                    .as("the timer is active and unref'd (null: it never arrived)").isFalse();
        } finally {
            loop.close();
        }
    }

    // ================================================================== helpers

    /** A system-time clock that runs a hook once, on the first read made from the named EventLoop method. */
    private static final class HookClock implements LoopClock {
        private final String method;
        private final AtomicReference<Runnable> hook = new AtomicReference<>();
        private final StackWalker walker = StackWalker.getInstance();

        HookClock(String method) {
            this.method = method;
        }

        void arm(Runnable r) {
            hook.set(r);
        }

        @Override
        public long nanoTime() {
            if (hook.get() != null) {
                Optional<StackWalker.StackFrame> caller = walker.walk(s -> s.skip(1).findFirst());
                if (caller.isPresent() && caller.get().getClassName().equals(EventLoop.class.getName())
                        && caller.get().getMethodName().equals(method)) {
                    Runnable r = hook.getAndSet(null);
                    if (r != null) {
                        r.run();
                    }
                }
            }
            return System.nanoTime();
        }
    }

    /** Spins (no sleep) until the condition holds; fails after {@link #WAIT_S} seconds. */
    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("start barrier failed", e);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

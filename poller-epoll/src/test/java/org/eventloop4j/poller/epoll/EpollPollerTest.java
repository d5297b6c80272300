package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eventloop4j.IoEvents.ERROR;
import static org.eventloop4j.IoEvents.HANGUP;
import static org.eventloop4j.IoEvents.READ;
import static org.eventloop4j.IoEvents.WRITE;

import com.sun.jna.Platform;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.poller.epoll.TestDescriptors.Reports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The epoll poller against real pipes, socket pairs and eventfds. */
class EpollPollerTest {
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    private final TestDescriptors fds = new TestDescriptors();
    private final Reports reports = new Reports();
    private final ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "epoll-test-helper");
        t.setDaemon(true);
        return t;
    });
    private EpollPoller poller;

    @BeforeEach
    void open() throws IOException {
        poller = new EpollPoller(EpollEventLayout.forArch(Platform.ARCH), EpollPoller.DEFAULT_MAX_EVENTS);
    }

    @AfterEach
    void closeAll() throws IOException {
        helper.shutdownNow();
        poller.close();
        fds.close();
    }

    // ---------------------------------------------------------------- readiness

    @Test
    void readReadinessIsReportedWithTheToken() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 42);
        assertThat(poller.poll(0, reports)).isZero();

        fds.write(pipe[1], 1);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        assertThat(reports.all).hasSize(1);
        assertThat(reports.all.get(0)).containsExactly(42, READ);
    }

    @Test
    void tokensKeepAll64Bits() throws IOException {
        long[] tokens = {0x0123_4567_89AB_CDEFL, -2L, Long.MAX_VALUE, 0L, 0xFFFF_FFFF_0000_0001L};
        for (long token : tokens) {
            poller.register(fds.eventFd(1), READ, token);
        }
        assertThat(poller.poll(0, reports)).isEqualTo(tokens.length);
        assertThat(reports.tokens()).containsExactlyInAnyOrder(0x0123_4567_89AB_CDEFL, -2L, Long.MAX_VALUE, 0L,
                0xFFFF_FFFF_0000_0001L);
    }

    @Test
    void readinessIsLevelTriggeredUntilDrained() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 7);
        fds.write(pipe[1], 100);

        assertThat(poller.poll(0, reports)).isEqualTo(1);
        assertThat(poller.poll(0, reports)).as("still readable, so reported again").isEqualTo(1);
        assertThat(reports.all).extracting(r -> r[0]).containsExactly(7L, 7L);

        assertThat(fds.drain(pipe[0])).isEqualTo(100);
        reports.clear();
        assertThat(poller.poll(0, reports)).isZero();
        assertThat(reports.all).isEmpty();
    }

    @Test
    void writeReadinessFollowsTheSendBuffer() throws IOException {
        int[] sockets = fds.socketPair();
        poller.register(sockets[0], WRITE, 3);
        assertThat(poller.poll(0, reports)).isEqualTo(1);
        assertThat(reports.eventsOf(3)).isEqualTo(WRITE);

        assertThat(fds.fill(sockets[0])).isPositive();
        reports.clear();
        assertThat(poller.poll(0, reports)).as("a full send buffer is not writable").isZero();

        fds.drain(sockets[1]);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        assertThat(reports.eventsOf(3)).isEqualTo(WRITE);
    }

    @Test
    void readAndWriteAreReportedTogether() throws IOException {
        int[] sockets = fds.socketPair();
        fds.write(sockets[1], 10);
        poller.register(sockets[0], READ | WRITE, 5);
        assertThat(poller.poll(0, reports)).isEqualTo(1);
        assertThat(reports.eventsOf(5)).isEqualTo(READ | WRITE);
    }

    // ---------------------------------------------------------------- hangup and error

    @Test
    void closingThePipeWriteEndReportsHangupOnTheReadEnd() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 1);
        fds.closeFd(pipe[1]);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        // EPOLLHUP alone: the pipe holds no data, so it is not readable.
        assertThat(reports.eventsOf(1)).isEqualTo(HANGUP);
    }

    @Test
    void hangupIsReportedEvenWithAnEmptyInterestSet() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], 0, 1);
        assertThat(poller.poll(0, reports)).isZero();
        fds.closeFd(pipe[1]);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        assertThat(reports.eventsOf(1)).isEqualTo(HANGUP);
    }

    @Test
    void closingThePipeReadEndReportsErrorOnTheWriteEndEvenWithAnEmptyInterestSet() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[1], 0, 2);
        assertThat(poller.poll(0, reports)).isZero();
        fds.closeFd(pipe[0]);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        assertThat(reports.eventsOf(2) & ERROR).isEqualTo(ERROR);
    }

    @Test
    void peerShutdownOfItsWritingSideReportsHangupThroughRdhup() throws IOException {
        int[] sockets = fds.socketPair();
        poller.register(sockets[0], READ, 9);
        assertThat(poller.poll(0, reports)).isZero();

        fds.shutdownWrite(sockets[1]);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        // EPOLLIN (end of file is readable) | EPOLLRDHUP; no EPOLLHUP, because our side can still write.
        assertThat(reports.eventsOf(9)).isEqualTo(READ | HANGUP);
    }

    @Test
    void peerShutdownIsNotAHangupWhileOnlyWriteIsWanted() throws IOException {
        int[] sockets = fds.socketPair();
        poller.register(sockets[0], WRITE, 9);
        fds.shutdownWrite(sockets[1]);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        // EPOLLRDHUP is only reported when asked for, and READ asks for it.
        assertThat(reports.eventsOf(9)).isEqualTo(WRITE);
    }

    @Test
    void closedSocketPeerReportsReadAndHangup() throws IOException {
        int[] sockets = fds.socketPair();
        poller.register(sockets[0], READ, 4);
        fds.closeFd(sockets[1]);
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1);
        assertThat(reports.eventsOf(4)).isEqualTo(READ | HANGUP);
    }

    // ---------------------------------------------------------------- modify and unregister

    @Test
    void modifySwitchesInterestAndTokenAndZeroPauses() throws IOException {
        int[] sockets = fds.socketPair();
        fds.write(sockets[1], 10); // sockets[0] is readable and writable from now on
        poller.register(sockets[0], READ, 1);
        poller.poll(0, reports);
        assertThat(reports.all).hasSize(1);
        assertThat(reports.all.get(0)).containsExactly(1, READ);

        poller.modify(sockets[0], WRITE, 2);
        reports.clear();
        poller.poll(0, reports);
        assertThat(reports.all).hasSize(1);
        assertThat(reports.all.get(0)).containsExactly(2, WRITE);

        poller.modify(sockets[0], 0, 3);
        reports.clear();
        assertThat(poller.poll(0, reports)).as("paused").isZero();

        poller.modify(sockets[0], READ | WRITE, 4);
        assertThat(poller.poll(0, reports)).isEqualTo(1);
        assertThat(reports.all.get(0)).containsExactly(4, READ | WRITE);
    }

    @Test
    void unregisterStopsReportsAndAllowsRegisteringAgain() throws IOException {
        int fd = fds.eventFd(1);
        poller.register(fd, READ, 1);
        assertThat(poller.poll(0, reports)).isEqualTo(1);

        poller.unregister(fd);
        reports.clear();
        assertThat(poller.poll(0, reports)).isZero();

        poller.register(fd, READ, 2);
        assertThat(poller.poll(0, reports)).isEqualTo(1);
        assertThat(reports.tokens()).containsExactly(2L);
    }

    @Test
    void descriptorClosedWhileRegisteredIsDroppedSilentlyAndUnregisterDoesNotThrow() throws IOException {
        // epoll watches open file descriptions: closing the last descriptor of one removes it from every epoll set,
        // with no report at all (no HANGUP), so the owner must unregister before, or at least when, it closes.
        int fd = fds.eventFd(1);
        poller.register(fd, READ, 1);
        fds.closeFd(fd);
        assertThat(poller.poll(0, reports)).isZero();
        assertThatCode(() -> poller.unregister(fd)).doesNotThrowAnyException();
    }

    @Test
    void aDuplicatedDescriptorKeepsTheRegistrationAliveAfterTheRegisteredOneIsClosed() throws IOException {
        // The documented epoll pitfall: the registration belongs to the open file description, not the number.
        int fd = fds.eventFd(1);
        int copy = fds.dup(fd);
        poller.register(fd, READ, 1);
        fds.closeFd(fd);
        assertThat(poller.poll(0, reports)).as("still reported through the duplicate").isEqualTo(1);
        assertThatCode(() -> poller.unregister(fd)).as("EBADF is ignored").doesNotThrowAnyException();
        fds.closeFd(copy);
        reports.clear();
        assertThat(poller.poll(0, reports)).isZero();
    }

    @Test
    void unregisteringAnOpenButUnregisteredDescriptorIsNotAnError() throws IOException {
        int fd = fds.eventFd(0);
        assertThatCode(() -> poller.unregister(fd)).doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- many registrations

    @Test
    void aThousandRegistrationsAreAllReported() throws IOException {
        Set<Long> expected = new HashSet<>();
        int[] eventFds = new int[1000];
        for (int i = 0; i < eventFds.length; i++) {
            eventFds[i] = fds.eventFd(1);
            poller.register(eventFds[i], READ, 10_000 + i);
            expected.add(10_000L + i);
        }
        assertThat(poller.poll(TEN_SECONDS, reports)).isEqualTo(1000);
        assertThat(reports.tokens()).isEqualTo(expected);
        assertThat(reports.all).allSatisfy(r -> assertThat(r[1]).isEqualTo(READ));

        for (int fd : eventFds) {
            poller.unregister(fd);
        }
        reports.clear();
        assertThat(poller.poll(0, reports)).isZero();
    }

    @Test
    void moreReadyDescriptorsThanTheBufferHoldsAreServedOverSeveralPolls() throws IOException {
        try (EpollPoller small = new EpollPoller(EpollEventLayout.forArch(Platform.ARCH), 16)) {
            Set<Long> expected = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                small.register(fds.eventFd(1), READ, i);
                expected.add((long) i);
            }
            Set<Long> seen = new HashSet<>();
            for (int round = 0; round < 50 && !seen.equals(expected); round++) {
                reports.clear();
                int n = small.poll(0, reports);
                assertThat(n).isBetween(1, 16);
                seen.addAll(reports.tokens());
            }
            assertThat(seen).as("epoll rotates its ready list, so every descriptor gets its turn").isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- wakeup

    @Test
    void wakeupFromAnotherThreadEndsAPollBlockedWithoutTimeout() throws Exception {
        AtomicReference<Thread> pollThread = new AtomicReference<>();
        Future<Integer> blocked = helper.submit(() -> {
            pollThread.set(Thread.currentThread());
            return poller.poll(-1, reports);
        });
        awaitInNativeCall(pollThread, "epoll_wait");

        Thread waker = new Thread(poller::wakeup, "waker");
        waker.start();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).as("the wakeup eventfd is never reported").isZero();
        waker.join(10_000);
        assertThat(reports.all).isEmpty();
    }

    @Test
    void wakeupBeforePollMakesTheNextPollReturn() throws Exception {
        poller.wakeup();
        Future<Integer> next = helper.submit(() -> poller.poll(-1, reports));
        assertThat(next.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void onePollConsumesAllEarlierWakeups() throws IOException {
        poller.wakeup();
        poller.wakeup();
        poller.wakeup();
        assertThat(poller.poll(TEN_SECONDS, reports)).isZero();

        long start = System.nanoTime();
        assertThat(poller.poll(TimeUnit.MILLISECONDS.toNanos(100), reports)).isZero();
        assertThat(System.nanoTime() - start).as("the eventfd was drained, so the poll waits its timeout")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    /**
     * The wakeup eventfd is edge-triggered and never read, so its counter only grows: every wakeup must still be a
     * new edge that ends exactly one blocking poll, and a consumed edge must not be reported again.
     */
    @Test
    void everyWakeupEndsOneBlockingPollAlthoughTheCounterIsNeverReset() throws Exception {
        for (int round = 0; round < 2000; round++) {
            poller.wakeup();
            // poll(-1) returns only for an event: a wakeup that made no edge would hang here (bounded by get).
            assertThat(helper.submit(() -> poller.poll(-1, reports)).get(10, TimeUnit.SECONDS)).isZero();
        }
        long start = System.nanoTime();
        assertThat(poller.poll(TimeUnit.MILLISECONDS.toNanos(50), reports)).isZero();
        assertThat(System.nanoTime() - start).as("every edge was consumed, so this poll waits its timeout")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        // And from another thread while the loop thread is blocked.
        for (int round = 0; round < 20; round++) {
            AtomicReference<Thread> pollThread = new AtomicReference<>();
            Future<Integer> blocked = helper.submit(() -> {
                pollThread.set(Thread.currentThread());
                return poller.poll(-1, reports);
            });
            awaitInNativeCall(pollThread, "epoll_wait");
            poller.wakeup();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isZero();
        }
        assertThat(reports.all).isEmpty();
    }

    @Test
    void wakeupAndReadinessAreReportedTogetherWithoutTheWakeupToken() throws IOException {
        int fd = fds.eventFd(1);
        poller.register(fd, READ, 77);
        poller.wakeup();
        assertThat(poller.poll(0, reports)).isEqualTo(1);
        assertThat(reports.tokens()).containsExactly(77L);
    }

    @Test
    void wakeupsFromManyThreadsRacingCloseNeverFail() throws Exception {
        int threads = 4;
        CountDownLatch started = new CountDownLatch(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService wakers = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                wakers.execute(() -> {
                    started.countDown();
                    try {
                        for (int i = 0; i < 20_000; i++) {
                            poller.wakeup();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            poller.poll(TEN_SECONDS, reports);
            poller.close();
        } finally {
            wakers.shutdown();
            assertThat(wakers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failure.get()).isNull();
        assertThat(reports.all).isEmpty();
    }

    // ---------------------------------------------------------------- awaitReadiness

    @Test
    void awaitReadinessReturnsTrueOnReadinessWithoutConsumingIt() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 8);
        fds.write(pipe[1], 1);

        assertThat(poller.supportsAwaitReadiness()).isTrue();
        assertThat(poller.awaitReadiness(TEN_SECONDS)).isTrue();
        assertThat(poller.awaitReadiness(0)).as("still pending").isTrue();
        assertThat(poller.poll(0, reports)).isEqualTo(1);
        assertThat(reports.eventsOf(8)).isEqualTo(READ);
    }

    @Test
    void awaitReadinessReturnsFalseAfterTheTimeout() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 8);
        long start = System.nanoTime();
        assertThat(poller.awaitReadiness(TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void awaitReadinessSeesAPendingWakeupAndLeavesItForPoll() throws Exception {
        poller.wakeup();
        assertThat(poller.awaitReadiness(TEN_SECONDS)).isTrue();
        Future<Integer> next = helper.submit(() -> poller.poll(-1, reports));
        assertThat(next.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void wakeupEndsABlockedAwaitReadiness() throws Exception {
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Boolean> blocked = helper.submit(() -> {
            waiter.set(Thread.currentThread());
            return poller.awaitReadiness(-1);
        });
        awaitInNativeCall(waiter, "poll");
        poller.wakeup();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void readinessEndsABlockedAwaitReadinessWhileTheLoopThreadPollsWithZeroTimeout() throws Exception {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 8);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Boolean> blocked = helper.submit(() -> {
            waiter.set(Thread.currentThread());
            return poller.awaitReadiness(-1);
        });
        awaitInNativeCall(waiter, "poll");
        assertThat(poller.poll(0, reports)).isZero();
        fds.write(pipe[1], 1);
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(poller.poll(0, reports)).isEqualTo(1);
    }

    @Test
    void closeEndsABlockedAwaitReadiness() throws Exception {
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Boolean> blocked = helper.submit(() -> {
            waiter.set(Thread.currentThread());
            return poller.awaitReadiness(-1);
        });
        awaitInNativeCall(waiter, "poll");
        poller.close();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> poller.awaitReadiness(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ---------------------------------------------------------------- timeouts

    @Test
    void timeoutsRoundUpToWholeMilliseconds() {
        assertThat(EpollPoller.toMillis(-1)).isEqualTo(-1);
        assertThat(EpollPoller.toMillis(Long.MIN_VALUE)).isEqualTo(-1);
        assertThat(EpollPoller.toMillis(0)).isZero();
        assertThat(EpollPoller.toMillis(1)).isEqualTo(1);
        assertThat(EpollPoller.toMillis(999_999)).isEqualTo(1);
        assertThat(EpollPoller.toMillis(1_000_000)).isEqualTo(1);
        assertThat(EpollPoller.toMillis(1_000_001)).isEqualTo(2);
        assertThat(EpollPoller.toMillis(1_500_000_000L)).isEqualTo(1500);
        assertThat(EpollPoller.toMillis(Integer.MAX_VALUE * 1_000_000L)).isEqualTo(Integer.MAX_VALUE);
        assertThat(EpollPoller.toMillis(Integer.MAX_VALUE * 1_000_000L + 1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(EpollPoller.toMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aSubMillisecondTimeoutNeverReturnsEarly() throws IOException {
        long start = System.nanoTime();
        assertThat(poller.poll(1, reports)).isZero();
        assertThat(System.nanoTime() - start).as("1 ns rounds up to 1 ms, not down to a busy 0")
                .isGreaterThanOrEqualTo(1_000_000L);
    }

    @Test
    void aTimedPollWaitsAtLeastItsTimeoutAndNotForever() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 1);
        long start = System.nanoTime();
        assertThat(poller.poll(TimeUnit.MILLISECONDS.toNanos(30) + 1, reports)).isZero();
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(31))
                .isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    // ---------------------------------------------------------------- event mapping

    @Test
    void interestMapsToEpollBits() {
        assertThat(EpollPoller.toEpollEvents(0)).isZero();
        assertThat(EpollPoller.toEpollEvents(READ)).isEqualTo(EpollNative.EPOLLIN | EpollNative.EPOLLRDHUP);
        assertThat(EpollPoller.toEpollEvents(WRITE)).isEqualTo(EpollNative.EPOLLOUT);
        assertThat(EpollPoller.toEpollEvents(READ | WRITE))
                .isEqualTo(EpollNative.EPOLLIN | EpollNative.EPOLLRDHUP | EpollNative.EPOLLOUT);
    }

    @Test
    void epollBitsMapToReadyEvents() {
        assertThat(EpollPoller.toReadyEvents(EpollNative.EPOLLIN)).isEqualTo(READ);
        assertThat(EpollPoller.toReadyEvents(EpollNative.EPOLLOUT)).isEqualTo(WRITE);
        assertThat(EpollPoller.toReadyEvents(EpollNative.EPOLLERR)).isEqualTo(ERROR);
        assertThat(EpollPoller.toReadyEvents(EpollNative.EPOLLHUP)).isEqualTo(HANGUP);
        assertThat(EpollPoller.toReadyEvents(EpollNative.EPOLLRDHUP)).isEqualTo(HANGUP);
        assertThat(EpollPoller.toReadyEvents(EpollNative.EPOLLIN | EpollNative.EPOLLOUT | EpollNative.EPOLLERR
                | EpollNative.EPOLLHUP | EpollNative.EPOLLRDHUP)).isEqualTo(READ | WRITE | ERROR | HANGUP);
        assertThat(EpollPoller.toReadyEvents(EpollNative.EPOLLPRI)).as("never requested, never reported").isZero();
    }

    // ---------------------------------------------------------------- errors and lifecycle

    @Test
    void registeringTwiceIsEexist() throws IOException {
        int fd = fds.eventFd(0);
        poller.register(fd, READ, 1);
        assertThatThrownBy(() -> poller.register(fd, WRITE, 2)).isInstanceOf(IOException.class)
                .hasMessageContaining("fd " + fd).hasMessageContaining("EEXIST").hasMessageContaining("use modify");
    }

    @Test
    void registeringAClosedDescriptorIsEbadf() throws IOException {
        int fd = fds.eventFd(0);
        fds.closeFd(fd);
        assertThatThrownBy(() -> poller.register(fd, READ, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("EBADF");
    }

    @Test
    void registeringADescriptorWithoutPollSupportIsEperm() throws IOException {
        int fd = fds.openReadOnly("/dev/null");
        assertThatThrownBy(() -> poller.register(fd, READ, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("EPERM").hasMessageContaining("does not support epoll");
    }

    @Test
    void modifyingAnUnregisteredDescriptorIsEnoent() throws IOException {
        int fd = fds.eventFd(0);
        assertThatThrownBy(() -> poller.modify(fd, READ, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("ENOENT").hasMessageContaining("not registered");
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() throws IOException {
        int fd = fds.eventFd(0);
        assertThatThrownBy(() -> poller.register(-1, READ, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> poller.register(fd, 4, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interest");
        assertThatThrownBy(() -> poller.register(fd, READ, EpollPoller.WAKEUP_TOKEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> poller.poll(0, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailOrDoNothing() throws IOException {
        int fd = fds.eventFd(1);
        poller.register(fd, READ, 1);
        poller.close();
        poller.close();
        assertThatCode(poller::wakeup).doesNotThrowAnyException();
        assertThatCode(() -> poller.unregister(fd)).doesNotThrowAnyException();
        assertThatThrownBy(() -> poller.poll(0, reports)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the epoll poller is closed");
        assertThatThrownBy(() -> poller.register(fds.eventFd(0), READ, 2))
                .isInstanceOf(IllegalStateException.class);
        assertThat(poller.toString()).contains("closed");
    }

    @Test
    void closeLeavesRegisteredDescriptorsOpen() throws IOException {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], READ, 1);
        poller.close();
        assertThat(fds.write(pipe[1], 3)).isEqualTo(3);
        assertThat(fds.drain(pipe[0])).isEqualTo(3);
    }

    @Test
    void aSinkThatClosesThePollerStopsTheDispatch() throws IOException {
        for (int i = 0; i < 5; i++) {
            poller.register(fds.eventFd(1), READ, i);
        }
        List<Long> seen = new java.util.ArrayList<>();
        int n = poller.poll(0, (token, events) -> {
            seen.add(token);
            try {
                poller.close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(n).isEqualTo(1);
        assertThat(seen).hasSize(1);
    }

    /** Waits (bounded) until {@code thread} is inside the named direct-mapped native call. */
    private static void awaitInNativeCall(AtomicReference<Thread> thread, String method) {
        long deadline = System.nanoTime() + TEN_SECONDS;
        while (System.nanoTime() < deadline) {
            Thread t = thread.get();
            if (t != null) {
                StackTraceElement[] stack = t.getStackTrace();
                if (stack.length > 0 && stack[0].getMethodName().equals(method)
                        && stack[0].getClassName().equals(EpollNative.class.getName())) {
                    return;
                }
            }
            LockSupport.parkNanos(1_000_000L);
        }
        throw new AssertionError("the helper thread did not enter " + method + " within "
                + Duration.ofNanos(TEN_SECONDS));
    }
}

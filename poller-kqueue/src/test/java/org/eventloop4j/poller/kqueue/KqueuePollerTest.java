package org.eventloop4j.poller.kqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EBADF;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EVFILT_READ;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EVFILT_WRITE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ADD;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_CLEAR;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_DELETE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ENABLE;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_ERROR;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.EV_RECEIPT;
import static org.eventloop4j.poller.kqueue.KqueuePlatform.NOTE_TRIGGER;
import static org.eventloop4j.IoEvents.ERROR;
import static org.eventloop4j.IoEvents.HANGUP;
import static org.eventloop4j.IoEvents.READ;
import static org.eventloop4j.IoEvents.WRITE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.poller.kqueue.FakeKqueueKernel.Kevent;
import org.eventloop4j.spi.ReadySink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KqueuePollerTest {

    private static final int ADD = EV_ADD | EV_ENABLE | EV_RECEIPT;
    private static final int DELETE = EV_DELETE | EV_RECEIPT;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private FakeKqueueKernel kernel;
    private KqueuePoller poller;

    /** A sink that records reports as "token:EVENTS". */
    private static final class Recorder implements ReadySink {
        final List<String> reports = new ArrayList<>();

        @Override
        public void ready(long token, int readyEvents) {
            reports.add(token + ":" + org.eventloop4j.IoEvents.toString(readyEvents));
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        executor.shutdownNow();
        if (poller != null) {
            poller.close();
        }
    }

    private void open(KqueuePlatform platform) throws IOException {
        kernel = new FakeKqueueKernel(platform);
        poller = new KqueuePoller(kernel, platform, 16);
        kernel.clearChanges();
    }

    private List<String> pollNow() throws IOException {
        Recorder r = new Recorder();
        int n = poller.poll(0, r);
        assertThat(n).isEqualTo(r.reports.size());
        return r.reports;
    }

    @ParameterizedTest
    @EnumSource(KqueuePlatform.class)
    void openArmsTheUserEventWithClear(KqueuePlatform platform) throws IOException {
        kernel = new FakeKqueueKernel(platform);
        poller = new KqueuePoller(kernel, platform, 16);
        assertThat(kernel.changes()).containsExactly(
                new Kevent(KqueuePoller.WAKEUP_IDENT, platform.evfiltUser, EV_ADD | EV_CLEAR | EV_RECEIPT, 0, 0, 0));
    }

    @ParameterizedTest
    @EnumSource(KqueuePlatform.class)
    void registerAddsOneLevelTriggeredFilterPerInterestBitWithTheTokenInUdata(KqueuePlatform platform)
            throws IOException {
        open(platform);
        poller.register(7, READ | WRITE, 42);
        poller.register(8, READ, 43);
        poller.register(9, WRITE, 44);
        poller.register(10, 0, 45);
        assertThat(kernel.changes()).containsExactly(
                new Kevent(7, EVFILT_READ, ADD, 0, 0, 42),
                new Kevent(7, EVFILT_WRITE, ADD, 0, 0, 42),
                new Kevent(8, EVFILT_READ, ADD, 0, 0, 43),
                new Kevent(9, EVFILT_WRITE, ADD, 0, 0, 44));
        assertThat(kernel.changes()).allSatisfy(c -> assertThat(c.flags() & EV_CLEAR).isZero());
    }

    @Test
    void modifyAppliesOnlyTheDifference() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(5, READ, 1);
        kernel.clearChanges();

        poller.modify(5, READ, 1); // nothing changes
        assertThat(kernel.changes()).isEmpty();

        poller.modify(5, WRITE, 1); // read off, write on
        assertThat(kernel.changes()).containsExactly(
                new Kevent(5, EVFILT_READ, DELETE, 0, 0, 0),
                new Kevent(5, EVFILT_WRITE, ADD, 0, 0, 1));
        kernel.clearChanges();

        poller.modify(5, READ | WRITE, 2); // read on, write kept but re-tagged with the new token
        assertThat(kernel.changes()).containsExactly(
                new Kevent(5, EVFILT_READ, ADD, 0, 0, 2),
                new Kevent(5, EVFILT_WRITE, ADD, 0, 0, 2));
        assertThat(kernel.knotes()).containsEntry("5/" + EVFILT_READ, 2L).containsEntry("5/" + EVFILT_WRITE, 2L);
        kernel.clearChanges();

        poller.modify(5, 0, 2); // pause
        assertThat(kernel.changes()).containsExactly(
                new Kevent(5, EVFILT_READ, DELETE, 0, 0, 0),
                new Kevent(5, EVFILT_WRITE, DELETE, 0, 0, 0));
        assertThat(kernel.knotes()).doesNotContainKeys("5/" + EVFILT_READ, "5/" + EVFILT_WRITE);
    }

    @Test
    void unregisterDeletesBothFilters() throws IOException {
        open(KqueuePlatform.FREEBSD_12);
        poller.register(5, READ | WRITE, 1);
        kernel.clearChanges();
        poller.unregister(5);
        assertThat(kernel.changes()).containsExactly(
                new Kevent(5, EVFILT_READ, DELETE, 0, 0, 0),
                new Kevent(5, EVFILT_WRITE, DELETE, 0, 0, 0));
        assertThat(kernel.knotes()).containsOnlyKeys(KqueuePoller.WAKEUP_IDENT + "/" + KqueuePlatform.FREEBSD_12.evfiltUser);
        // registered again afterwards, as a fresh descriptor
        poller.register(5, READ, 9);
        assertThat(kernel.knotes()).containsEntry("5/" + EVFILT_READ, 9L);
    }

    @Test
    void unregisterAfterTheOwnerClosedTheDescriptorIsNotAnError() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(5, READ | WRITE, 1);
        kernel.closeDescriptor(5);
        poller.unregister(5); // kernel answers EBADF: swallowed
        assertThatThrownBy(() -> poller.modify(5, READ, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
    }

    @Test
    void aRefusedModifyLeavesTheRegistrationPausedAndRemovable() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(5, READ, 1);
        kernel.closeDescriptor(5);
        assertThatThrownBy(() -> poller.modify(5, WRITE, 2)).isInstanceOf(IOException.class)
                .hasMessageContaining("EBADF");
        kernel.setEof(5, 0);
        assertThat(pollNow()).isEmpty();
        kernel.clearChanges();
        poller.unregister(5); // paused: nothing left to delete, and no error
        assertThat(kernel.changes()).isEmpty();
    }

    @Test
    void unknownOrDuplicateDescriptorsAndBadInterestAreRejected() throws IOException {
        open(KqueuePlatform.MACOS);
        assertThatThrownBy(() -> poller.unregister(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("descriptor 3 is not registered");
        assertThatThrownBy(() -> poller.register(-1, READ, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> poller.register(3, ERROR, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("READ and IoEvents.WRITE");
        poller.register(3, READ, 1);
        assertThatThrownBy(() -> poller.register(3, READ, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already registered");
    }

    @Test
    void registerOfAClosedDescriptorFailsWithEbadfAndLeavesNothingBehind() throws IOException {
        open(KqueuePlatform.MACOS);
        kernel.closeDescriptor(6);
        assertThatThrownBy(() -> poller.register(6, READ | WRITE, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("EBADF").hasMessageContaining("descriptor 6");
        assertThat(kernel.knotes()).hasSize(1); // only the wakeup event
        assertThatThrownBy(() -> poller.unregister(6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartlyFailedRegisterIsRolledBack() throws IOException {
        open(KqueuePlatform.MACOS);
        kernel.failAdd(6, EVFILT_WRITE, 12);
        assertThatThrownBy(() -> poller.register(6, READ | WRITE, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("ENOMEM");
        assertThat(kernel.knotes()).doesNotContainKey("6/" + EVFILT_READ);
        assertThat(kernel.changes()).last().isEqualTo(new Kevent(6, EVFILT_READ, DELETE, 0, 0, 0));
    }

    @ParameterizedTest
    @EnumSource(KqueuePlatform.class)
    void readinessIsReportedLevelTriggeredUntilItIsGone(KqueuePlatform platform) throws IOException {
        open(platform);
        poller.register(5, READ, 50);
        poller.register(6, WRITE, 60);
        assertThat(pollNow()).isEmpty();

        kernel.setReadable(5, true);
        kernel.setWritable(6, true);
        assertThat(pollNow()).containsExactly("50:READ", "60:WRITE");
        assertThat(pollNow()).containsExactly("50:READ", "60:WRITE"); // still ready: reported again

        kernel.setReadable(5, false);
        assertThat(pollNow()).containsExactly("60:WRITE");
    }

    @ParameterizedTest
    @EnumSource(KqueuePlatform.class)
    void twoFiltersOfOneDescriptorInOneBatchAreMergedIntoOneReport(KqueuePlatform platform) throws IOException {
        open(platform);
        poller.register(5, READ, 50);
        poller.register(6, READ, 60);
        poller.modify(5, READ | WRITE, 50); // the kernel now lists 5/READ, 6/READ, 5/WRITE
        kernel.setReadable(5, true);
        kernel.setWritable(5, true);
        kernel.setReadable(6, true);
        assertThat(pollNow()).containsExactly("50:READ|WRITE", "60:READ");
    }

    @Test
    void eofIsHangupAndASocketErrorIsError() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(5, READ, 50);
        poller.register(6, READ | WRITE, 60);
        kernel.setEof(5, 0);
        kernel.setEof(6, 54); // ECONNRESET in fflags
        assertThat(pollNow()).containsExactly("50:READ|HANGUP", "60:READ|WRITE|ERROR|HANGUP");
    }

    @Test
    void anEvErrorEntryIsReportedAsError() throws IOException {
        open(KqueuePlatform.FREEBSD_11);
        poller.register(5, READ, 50);
        kernel.inject(new Kevent(5, EVFILT_READ, EV_ERROR, 0, EBADF, 50));
        assertThat(pollNow()).containsExactly("50:ERROR");
    }

    @Test
    void onlyTheCurrentInterestPlusErrorAndHangupIsReported() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(5, READ | WRITE, 50);
        kernel.setReadable(5, true);
        kernel.setWritable(5, true);
        // The kernel still reports a stale READ entry (as if it was queued before the change).
        poller.modify(5, WRITE, 50);
        kernel.inject(new Kevent(5, EVFILT_READ, 0, 0, 1, 50));
        assertThat(pollNow()).containsExactly("50:WRITE");
    }

    @Test
    void reportsForARegistrationChangedByAnEarlierCallbackInTheSameBatchAreDropped() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(5, READ, 50);
        poller.register(6, READ, 60);
        kernel.setReadable(5, true);
        kernel.setReadable(6, true);
        List<Long> tokens = new ArrayList<>();
        int n = poller.poll(0, (token, events) -> {
            tokens.add(token);
            try {
                poller.unregister(token == 50 ? 6 : 5);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(n).isEqualTo(1);
        assertThat(tokens).hasSize(1);
    }

    @Test
    void aStaleTokenIsNotReported() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(5, READ, 50);
        kernel.inject(new Kevent(5, EVFILT_READ, 0, 0, 1, 49)); // udata from an older registration
        assertThat(pollNow()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KqueuePlatform.class)
    void wakeupTriggersTheUserEventWhichIsNeverReported(KqueuePlatform platform) throws Exception {
        open(platform);
        poller.register(5, READ, 50);
        poller.wakeup();
        assertThat(kernel.changes()).last()
                .isEqualTo(new Kevent(KqueuePoller.WAKEUP_IDENT, platform.evfiltUser, 0, NOTE_TRIGGER, 0, 0));

        Recorder r = new Recorder();
        // Without the wakeup this would block forever (the fake waits on a condition); run it off-thread.
        Future<Integer> n = executor.submit(() -> poller.poll(-1, r));
        assertThat(n.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(r.reports).isEmpty();
        // EV_CLEAR: the trigger was consumed, so a non-blocking poll sees nothing.
        assertThat(poller.poll(0, r)).isZero();
        assertThat(kernel.waitTimeouts()).containsExactly(-1L, 0L);
    }

    @Test
    void wakeupFromAnotherThreadReleasesABlockedPoll() throws Exception {
        open(KqueuePlatform.MACOS);
        Recorder r = new Recorder();
        CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> {
            try {
                return poller.poll(-1, r);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, executor);
        assertThat(kernel.awaitWaiter(10, TimeUnit.SECONDS)).isTrue();
        assertThat(polled).isNotDone();
        Thread waker = new Thread(poller::wakeup);
        waker.start();
        assertThat(polled.get(10, TimeUnit.SECONDS)).isZero();
        waker.join(10_000);
        assertThat(r.reports).isEmpty();
    }

    @Test
    void timeoutsBecomeTimespecsAndNoTimeoutIsANullPointer() throws Exception {
        open(KqueuePlatform.MACOS);
        Recorder r = new Recorder();
        poller.poll(0, r);
        poller.poll(1_500_000_000L, r); // the fake really waits 1.5 s, as the kernel would
        poller.wakeup();
        poller.poll(-5, r);
        assertThat(kernel.waitTimeouts()).containsExactly(0L, 1_500_000_000L, -1L);
    }

    @Test
    void timespecEncoding() {
        try (com.sun.jna.Memory ts = new com.sun.jna.Memory(16)) {
            KqueuePoller.writeTimespec(ts, 3_000_000_007L);
            assertThat(ts.getLong(0)).isEqualTo(3);
            assertThat(ts.getLong(8)).isEqualTo(7);
            KqueuePoller.writeTimespec(ts, 999_999_999L);
            assertThat(ts.getLong(0)).isZero();
            assertThat(ts.getLong(8)).isEqualTo(999_999_999L);
        }
    }

    @Test
    void pollMillisRoundUpAndClamp() {
        assertThat(KqueuePoller.toPollMillis(-1)).isEqualTo(-1);
        assertThat(KqueuePoller.toPollMillis(0)).isZero();
        assertThat(KqueuePoller.toPollMillis(1)).isEqualTo(1);
        assertThat(KqueuePoller.toPollMillis(1_000_000)).isEqualTo(1);
        assertThat(KqueuePoller.toPollMillis(1_000_001)).isEqualTo(2);
        assertThat(KqueuePoller.toPollMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void anInterruptedWaitIsASpuriousReturn() throws IOException {
        open(KqueuePlatform.MACOS);
        kernel.failNextWait(KqueuePlatform.EINTR);
        assertThat(poller.poll(-1, new Recorder())).isZero();
        kernel.failNextWait(22);
        assertThatThrownBy(() -> poller.poll(0, new Recorder())).isInstanceOf(IOException.class)
                .hasMessageContaining("EINVAL");
    }

    @Test
    void awaitReadinessPollsTheKqueueDescriptorWithoutConsuming() throws Exception {
        open(KqueuePlatform.MACOS);
        assertThat(poller.supportsAwaitReadiness()).isTrue();
        poller.register(5, READ, 50);
        assertThat(poller.awaitReadiness(0)).isFalse();

        kernel.setReadable(5, true);
        assertThat(poller.awaitReadiness(2_500_000)).isTrue();
        assertThat(kernel.pollTimeouts()).containsExactly(0, 3);
        assertThat(pollNow()).containsExactly("50:READ"); // not consumed by awaitReadiness

        kernel.setReadable(5, false);
        Future<Boolean> waiting = executor.submit(() -> poller.awaitReadiness(-1));
        assertThat(kernel.awaitWaiter(10, TimeUnit.SECONDS)).isTrue();
        poller.wakeup();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pollNow()).isEmpty(); // the wakeup is consumed by poll, not reported
        assertThat(poller.awaitReadiness(0)).isFalse();
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailOrDoNothing() throws IOException {
        open(KqueuePlatform.MACOS);
        int kq = poller.descriptor();
        poller.close();
        poller.close();
        assertThat(kernel.closedDescriptors()).containsExactly(kq);
        kernel.clearChanges();
        poller.wakeup(); // after close: must do nothing
        assertThat(kernel.changes()).isEmpty();
        assertThatThrownBy(() -> poller.poll(0, new Recorder())).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> poller.register(3, READ, 1)).isInstanceOf(IOException.class);
        poller = null;
    }

    @Test
    void closeReleasesAHelperWaitingInAwaitReadiness() throws Exception {
        open(KqueuePlatform.MACOS);
        Future<Boolean> waiting = executor.submit(() -> poller.awaitReadiness(-1));
        assertThat(kernel.awaitWaiter(10, TimeUnit.SECONDS)).isTrue();
        poller.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        poller = null;
    }

    @Test
    void moreReadyDescriptorsThanTheBufferAreReportedOverSeveralPolls() throws IOException {
        open(KqueuePlatform.MACOS); // 16 events per poll
        for (int fd = 100; fd < 140; fd++) {
            poller.register(fd, READ, fd);
            kernel.setReadable(fd, true);
        }
        assertThat(pollNow()).hasSize(16);
        for (int fd = 100; fd < 140; fd++) {
            kernel.setReadable(fd, fd >= 130);
        }
        assertThat(pollNow()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(130, 140).mapToObj(fd -> fd + ":READ").toList());
    }

    @Test
    void largeDescriptorNumbersAreAccepted() throws IOException {
        open(KqueuePlatform.MACOS);
        poller.register(70_000, READ, 7);
        kernel.setReadable(70_000, true);
        assertThat(pollNow()).containsExactly("7:READ");
    }
}

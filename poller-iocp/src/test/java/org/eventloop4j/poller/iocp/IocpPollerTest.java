package org.eventloop4j.poller.iocp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eventloop4j.IoEvents.ERROR;
import static org.eventloop4j.IoEvents.READ;
import static org.eventloop4j.IoEvents.WRITE;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_ABORT;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_ACCEPT;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_CONNECT_FAIL;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_DISCONNECT;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_LOCAL_CLOSE;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_RECEIVE;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_SEND;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.IoEvents;
import org.eventloop4j.poller.iocp.FakeWindowsKernel.Submitted;
import org.eventloop4j.spi.ReadySink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IocpPollerTest {

    private static final int ALWAYS = AFD_POLL_LOCAL_CLOSE | AFD_POLL_ABORT | AFD_POLL_CONNECT_FAIL;
    private static final int READ_MASK = ALWAYS | AFD_POLL_RECEIVE | AFD_POLL_ACCEPT | AFD_POLL_DISCONNECT;
    private static final int WRITE_MASK = ALWAYS | AFD_POLL_SEND;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private FakeWindowsKernel kernel;
    private IocpPoller poller;

    /** Records reports as "token:EVENTS". */
    private static final class Recorder implements ReadySink {
        final List<String> reports = new ArrayList<>();

        @Override
        public void ready(long token, int readyEvents) {
            reports.add(token + ":" + IoEvents.toString(readyEvents));
        }
    }

    @BeforeEach
    void open() throws IOException {
        kernel = new FakeWindowsKernel();
        poller = new IocpPoller(kernel, 16);
    }

    @AfterEach
    void tearDown() throws IOException {
        executor.shutdownNow();
        if (poller != null) {
            poller.close();
        }
    }

    private List<String> pollNow() throws IOException {
        Recorder r = new Recorder();
        int n = poller.poll(0, r);
        assertThat(n).isEqualTo(r.reports.size());
        return r.reports;
    }

    @Test
    void openStartsWinsockAndCreatesThePort() {
        assertThat(kernel.winsockStarted()).isEqualTo(1);
        assertThat(poller.port()).isEqualTo(kernel.portHandle()).isNotZero();
    }

    @Test
    void registeringOpensAnAfdHelperAssociatedWithThePort() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 1);
        assertThat(kernel.openedNames()).containsExactly("\\Device\\Afd\\eventloop4j");
        assertThat(kernel.afdKeys()).hasSize(1).containsValue(IocpPoller.AFD_COMPLETION_KEY);
        long afd = kernel.afdKeys().keySet().iterator().next();
        assertThat(kernel.notificationModes()).containsEntry(afd, AfdDeviceOpen.FILE_SKIP_SET_EVENT_ON_HANDLE);
    }

    @Test
    void eachSocketGetsOneAfdPollOnItsBaseSocketWithTheMaskOfItsInterest() throws IOException {
        long b100 = kernel.socket(100);
        long b104 = kernel.socket(104);
        long b108 = kernel.socket(108);
        long b112 = kernel.socket(112);
        poller.register(100, READ, 1);
        poller.register(104, WRITE, 2);
        poller.register(108, READ | WRITE, 3);
        poller.register(112, 0, 4);
        assertThat(kernel.submitted()).isEmpty(); // requests are issued by the next poll
        assertThat(pollNow()).isEmpty();
        long afd = kernel.afdKeys().keySet().iterator().next();
        assertThat(kernel.submitted()).containsExactly(
                new Submitted(afd, b100, READ_MASK, Long.MAX_VALUE, 1, 0),
                new Submitted(afd, b104, WRITE_MASK, Long.MAX_VALUE, 1, 0),
                new Submitted(afd, b108, READ_MASK | WRITE_MASK, Long.MAX_VALUE, 1, 0),
                new Submitted(afd, b112, ALWAYS, Long.MAX_VALUE, 1, 0));
        assertThat(kernel.pendingRequests()).isEqualTo(4);
    }

    @Test
    void completionsBecomeReadySets() throws IOException {
        int[][] cases = {
            {READ, AFD_POLL_RECEIVE, READ},
            {READ, AFD_POLL_ACCEPT, READ},
            {WRITE, AFD_POLL_SEND, WRITE},
            {READ, AFD_POLL_DISCONNECT, READ | IoEvents.HANGUP},
            {READ | WRITE, AFD_POLL_ABORT, IoEvents.HANGUP},
            {WRITE, AFD_POLL_CONNECT_FAIL, ERROR | WRITE},
            {0, AFD_POLL_CONNECT_FAIL, ERROR},
            {READ | WRITE, AFD_POLL_RECEIVE | AFD_POLL_SEND, READ | WRITE},
        };
        int fd = 200;
        for (int[] c : cases) {
            kernel.socket(fd);
            poller.register(fd, c[0], fd);
            pollNow(); // arms
            kernel.setReady(fd, c[1]);
            assertThat(pollNow()).as("interest %s, AFD 0x%x", IoEvents.toString(c[0]), c[1])
                    .containsExactly(fd + ":" + IoEvents.toString(c[2]));
            poller.unregister(fd);
            pollNow();
            fd += 4;
        }
    }

    @Test
    void aSocketThatStaysReadyIsReportedByEveryPollThanksToReArming() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        kernel.setReady(100, AFD_POLL_RECEIVE);
        assertThat(pollNow()).containsExactly("7:READ"); // armed, completed at once, dequeued by the same poll
        assertThat(kernel.pendingRequests()).isZero(); // one-shot: nothing armed until the next poll
        assertThat(pollNow()).containsExactly("7:READ"); // re-armed at the start of the poll, completed at once
        assertThat(kernel.submitted()).hasSize(2); // one request per poll
        kernel.setReady(100, 0);
        assertThat(pollNow()).isEmpty();
        assertThat(kernel.pendingRequests()).isEqualTo(1); // waiting, armed
    }

    @Test
    void widerInterestCancelsThePendingPollWhoseCancellationIsNotReported() throws IOException {
        long base = kernel.socket(100);
        poller.register(100, READ, 7);
        pollNow();
        poller.modify(100, READ | WRITE, 8);
        assertThat(pollNow()).isEmpty(); // cancels; STATUS_CANCELLED completion dequeued and swallowed
        assertThat(kernel.cancels()).hasSize(1);
        assertThat(kernel.pendingRequests()).isZero();
        assertThat(pollNow()).isEmpty(); // re-issued with the new mask
        assertThat(kernel.lastSubmitted().mask()).isEqualTo(READ_MASK | WRITE_MASK);
        assertThat(kernel.lastSubmitted().socket()).isEqualTo(base);
        kernel.setReady(100, AFD_POLL_SEND);
        assertThat(pollNow()).containsExactly("8:WRITE");
    }

    @Test
    void narrowerInterestKeepsThePendingPollAndFiltersWhatIsNoLongerWanted() throws IOException {
        kernel.socket(100);
        poller.register(100, READ | WRITE, 7);
        pollNow();
        poller.modify(100, READ, 7);
        assertThat(pollNow()).isEmpty();
        assertThat(kernel.cancels()).isEmpty();
        assertThat(kernel.submitted()).hasSize(1);
        kernel.setReady(100, AFD_POLL_SEND); // completes the old request: WRITE is not wanted any more
        assertThat(pollNow()).isEmpty();
        assertThat(pollNow()).isEmpty(); // re-armed with the narrower mask
        assertThat(kernel.lastSubmitted().mask()).isEqualTo(READ_MASK);
        assertThat(kernel.pendingRequests()).isEqualTo(1);
    }

    @Test
    void aNewTokenAloneNeedsNoNewRequest() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        pollNow();
        poller.modify(100, READ, 9);
        kernel.setReady(100, AFD_POLL_RECEIVE);
        assertThat(pollNow()).containsExactly("9:READ");
        assertThat(kernel.cancels()).isEmpty();
    }

    @Test
    void unregisterCancelsThePendingPollAndNothingIsReportedAfterwards() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        pollNow();
        poller.unregister(100);
        assertThat(kernel.cancels()).hasSize(1);
        assertThat(pollNow()).isEmpty(); // the cancelled completion frees the block, unreported
        kernel.setReady(100, AFD_POLL_RECEIVE);
        assertThat(pollNow()).isEmpty();
        assertThat(kernel.submitted()).hasSize(1); // never re-armed
        assertThat(kernel.pendingRequests()).isZero();
        assertThatThrownBy(() -> poller.unregister(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not registered");
    }

    @Test
    void unregisterBeforeTheFirstPollIssuesNothing() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        poller.unregister(100);
        assertThat(pollNow()).isEmpty();
        assertThat(kernel.submitted()).isEmpty();
        assertThat(kernel.cancels()).isEmpty();
    }

    @Test
    void aCompletionThatRacesTheCancelIsStillNotReportedAfterUnregister() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        pollNow();
        kernel.setReady(100, AFD_POLL_RECEIVE); // completes: the packet is queued, not yet dequeued
        poller.unregister(100); // the status block is no longer pending: no CancelIoEx needed
        assertThat(kernel.cancels()).isEmpty();
        assertThat(pollNow()).isEmpty();
    }

    @Test
    void aSocketClosedByItsOwnerIsDroppedSilently() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        pollNow();
        kernel.closeSocket(100);
        assertThat(pollNow()).isEmpty();
        assertThat(pollNow()).isEmpty();
        assertThat(kernel.submitted()).hasSize(1);
        assertThatThrownBy(() -> poller.modify(100, WRITE, 7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closed by its owner");
        poller.unregister(100); // not an error
        assertThatThrownBy(() -> poller.unregister(100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSocketClosedBeforeItWasArmedIsDroppedSilently() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        kernel.closeSocket(100);
        assertThat(pollNow()).isEmpty(); // NtDeviceIoControlFile answers STATUS_INVALID_HANDLE
        poller.unregister(100);
    }

    @Test
    void aFailedRequestIsReportedAsError() throws IOException {
        kernel.socket(100);
        poller.register(100, WRITE, 7);
        pollNow();
        kernel.failPending(100, 0xC000020C); // STATUS_CONNECTION_DISCONNECTED
        assertThat(pollNow()).containsExactly("7:ERROR");
    }

    @Test
    void badRegistrationsAreRefusedClearly() throws IOException {
        assertThatThrownBy(() -> poller.register(300, READ, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("WSAENOTSOCK");
        kernel.socket(100);
        assertThatThrownBy(() -> poller.register(100, IoEvents.HANGUP, 1))
                .isInstanceOf(IllegalArgumentException.class);
        poller.register(100, READ, 1);
        assertThatThrownBy(() -> poller.register(100, READ, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> poller.modify(104, READ, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wakeupPostsAReservedKeyThatIsNeverReported() throws Exception {
        kernel.socket(100);
        poller.register(100, READ, 7);
        pollNow();
        poller.wakeup();
        assertThat(kernel.postedKeys()).containsExactly(IocpPoller.WAKEUP_COMPLETION_KEY);
        Recorder r = new Recorder();
        Future<Integer> n = executor.submit(() -> poller.poll(-1, r));
        assertThat(n.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(r.reports).isEmpty();
        assertThat(kernel.waitMillis()).last().isEqualTo(IocpNative.INFINITE);
    }

    @Test
    void wakeupFromAnotherThreadReleasesABlockedPoll() throws Exception {
        Recorder r = new Recorder();
        Future<Integer> n = executor.submit(() -> poller.poll(-1, r));
        assertThat(kernel.awaitWaiter(10, TimeUnit.SECONDS)).isTrue();
        assertThat(n).isNotDone();
        Thread waker = new Thread(poller::wakeup);
        waker.start();
        assertThat(n.get(10, TimeUnit.SECONDS)).isZero();
        waker.join(10_000);
        assertThat(r.reports).isEmpty();
    }

    @Test
    void timeoutsAreMillisecondsRoundedUp() throws IOException {
        pollNow();
        poller.poll(1_500_000, new Recorder());
        assertThat(kernel.waitMillis()).containsExactly(0, 2);
        assertThat(IocpPoller.toMillis(-1)).isEqualTo(IocpNative.INFINITE);
        assertThat(IocpPoller.toMillis(1_000_000)).isEqualTo(1);
        assertThat(IocpPoller.toMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aFailedWaitIsAnIoException() {
        kernel.failNextWait(6);
        assertThatThrownBy(() -> poller.poll(0, new Recorder())).isInstanceOf(IOException.class)
                .hasMessageContaining("GetQueuedCompletionStatusEx").hasMessageContaining("error 6");
    }

    @Test
    void socketsAreSpreadOverHelperHandlesOf32() throws IOException {
        for (int i = 0; i < 33; i++) {
            kernel.socket(1000 + 4 * i);
            poller.register(1000 + 4 * i, READ, i);
        }
        assertThat(poller.groupCount()).isEqualTo(2);
        assertThat(kernel.openedNames()).hasSize(2);
        pollNow();
        assertThat(kernel.submitted().stream().map(Submitted::afd).distinct()).hasSize(2);
        // a freed place is reused before a new handle is opened
        poller.unregister(1000);
        kernel.socket(5000);
        poller.register(5000, READ, 99);
        assertThat(poller.groupCount()).isEqualTo(2);
    }

    @Test
    void awaitReadinessIsNotSupported() {
        assertThat(poller.supportsAwaitReadiness()).isFalse();
        assertThatThrownBy(() -> poller.awaitReadiness(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void closeReleasesEverythingOnceAndLaterCallsFailOrDoNothing() throws IOException {
        kernel.socket(100);
        poller.register(100, READ, 7);
        pollNow();
        long afd = kernel.afdKeys().keySet().iterator().next();
        poller.close();
        poller.close();
        assertThat(kernel.closedHandles()).containsExactlyInAnyOrder(afd, kernel.portHandle());
        assertThat(kernel.winsockStarted()).isZero();
        poller.wakeup(); // after close: nothing
        assertThat(kernel.postedKeys()).isEmpty();
        assertThatThrownBy(() -> poller.poll(0, new Recorder())).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        poller = null;
    }
}

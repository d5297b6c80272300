package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Function;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.poller.epoll.TestDescriptors.Libc;
import org.eventloop4j.poller.epoll.TestDescriptors.Reports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code EINTR}: a signal handled on the thread blocked in {@code epoll_wait} or {@code poll(2)} makes the call fail
 * with {@code EINTR} (never restarted, whatever {@code SA_RESTART} says). The poller must retry with the time that
 * remains, neither failing nor returning early.
 *
 * <p>The signal is a real-time one the JVM does not use ({@code SIGRTMIN + 4}), with libc's {@code getpid} as a
 * handler that does nothing harmful, sent with {@code tgkill} once {@code /proc/self/task/TID/wchan} shows the
 * thread asleep inside the kernel's epoll or poll code, so the interruption is certain.
 */
class EpollPollerSignalTest {
    private static final int SIGNAL = 34 + 4;
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(400);

    private final ExecutorService helper = Executors.newSingleThreadExecutor();
    private final TestDescriptors fds = new TestDescriptors();
    private EpollPoller poller;
    private Pointer previousHandler;

    @BeforeEach
    void setUp() throws IOException {
        poller = new EpollPoller(EpollEventLayout.forArch(Platform.ARCH), EpollPoller.DEFAULT_MAX_EVENTS);
        previousHandler = Libc.signal(SIGNAL, Function.getFunction(Platform.C_LIBRARY_NAME, "getpid"));
    }

    @AfterEach
    void tearDown() throws IOException {
        helper.shutdownNow();
        Libc.signal(SIGNAL, previousHandler);
        poller.close();
        fds.close();
    }

    @Test
    void epollWaitInterruptedByASignalIsRetriedForTheRemainingTime() throws Exception {
        int[] pipe = fds.pipe();
        poller.register(pipe[0], org.eventloop4j.IoEvents.READ, 1);
        Reports reports = new Reports();
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        Future<Long> elapsed = helper.submit(() -> {
            tid.complete(Libc.gettid());
            long start = System.nanoTime();
            assertThat(poller.poll(TIMEOUT_NANOS, reports)).isZero();
            return System.nanoTime() - start;
        });
        interruptWhenAsleepIn(tid.get(10, TimeUnit.SECONDS), "epoll");
        assertThat(elapsed.get(10, TimeUnit.SECONDS)).as("neither failed with EINTR nor returned early")
                .isGreaterThanOrEqualTo(TIMEOUT_NANOS);
        assertThat(reports.all).isEmpty();
    }

    @Test
    void awaitReadinessInterruptedByASignalIsRetriedForTheRemainingTime() throws Exception {
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        Future<Long> elapsed = helper.submit(() -> {
            tid.complete(Libc.gettid());
            long start = System.nanoTime();
            assertThat(poller.awaitReadiness(TIMEOUT_NANOS)).isFalse();
            return System.nanoTime() - start;
        });
        interruptWhenAsleepIn(tid.get(10, TimeUnit.SECONDS), "poll");
        assertThat(elapsed.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(TIMEOUT_NANOS);
    }

    /** Waits (bounded) until the thread sleeps in a kernel function whose name contains {@code where}, then signals. */
    private static void interruptWhenAsleepIn(int tid, String where) throws IOException {
        Path wchan = Paths.get("/proc/self/task/" + tid + "/wchan");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = new String(Files.readAllBytes(wchan), StandardCharsets.US_ASCII);
            if (seen.contains(where)) {
                assertThat(Libc.tgkill(Libc.getpid(), tid, SIGNAL)).isZero();
                return;
            }
            LockSupport.parkNanos(1_000_000L);
        }
        throw new AssertionError("thread " + tid + " never slept in " + where + " (last wchan: " + seen + ")");
    }
}

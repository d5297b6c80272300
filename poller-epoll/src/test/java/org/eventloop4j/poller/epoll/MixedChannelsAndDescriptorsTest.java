package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eventloop4j.IoEvents.READ;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One loop watching raw descriptors (epoll) and NIO channels (a Selector) together: the loop blocks in the Selector
 * and a helper thread blocked in {@code awaitReadiness} wakes it for the descriptors.
 */
class MixedChannelsAndDescriptorsTest {
    private static final String NAME = "mixed-it";

    private final TestDescriptors fds = new TestDescriptors();
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Pipe> nioPipes = new ArrayList<>();
    private final AtomicReference<Throwable> uncaught = new AtomicReference<>();

    @AfterEach
    void tearDown() throws Exception {
        for (EventLoop loop : loops) {
            loop.close();
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        for (Pipe p : nioPipes) {
            p.source().close();
            p.sink().close();
        }
        fds.close();
        assertThat(uncaught.get()).as("uncaught exception on the loop").isNull();
    }

    private EventLoop loop(String poller, boolean virtual) {
        EventLoop loop = EventLoop.builder().poller(poller).threadName(NAME).virtualThread(virtual)
                .uncaughtExceptionHandler((l, t) -> uncaught.compareAndSet(null, t)).build();
        loops.add(loop);
        return loop;
    }

    private Pipe nioPipe() throws IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        nioPipes.add(p);
        return p;
    }

    @Test
    void aPlatformLoopServesBothKindsWhileBlockedInTheSelector() throws Exception {
        exercise(loop("epoll", false).start(), true);
    }

    @Test
    void aVirtualLoopServesBothKinds() throws Exception {
        assumeTrue(EventLoop.runtimeVariant().equals("java21"), "the Java 21 overlay runs loops on virtual threads");
        exercise(loop("epoll", true).start(), false);
    }

    /**
     * Registers a native pipe and an NIO pipe (in either order), then for several rounds waits until the loop is
     * asleep with the helper watching, and wakes it through each path in turn: descriptor readiness (the helper),
     * channel readiness (the selector itself) and a task from another thread ({@code Selector.wakeup}).
     */
    private void exercise(EventLoop loop, boolean channelFirst) throws Exception {
        int[] pipe = fds.pipe();
        Pipe nio = nioPipe();
        Semaphore fdReady = new Semaphore(0);
        Semaphore channelReady = new Semaphore(0);
        CompletableFuture<String> registered = new CompletableFuture<>();
        loop.execute(() -> {
            Runnable fd = () -> loop.register(pipe[0], READ, (r, ev) -> {
                drain(pipe[0]);
                fdReady.release();
            });
            Runnable channel = () -> loop.register(nio.source(), READ, (r, ev) -> {
                drainChannel(nio);
                channelReady.release();
            });
            if (channelFirst) {
                channel.run();
                fd.run();
            } else {
                fd.run();
                channel.run();
            }
            registered.complete(loop.pollerName());
        });
        assertThat(registered.get(10, TimeUnit.SECONDS)).isEqualTo("epoll");

        for (int round = 0; round < 10; round++) {
            awaitWatcherBlockedInPoll();
            fds.write(pipe[1], 1);
            assertThat(fdReady.tryAcquire(10, TimeUnit.SECONDS)).as("round %d: descriptor", round).isTrue();

            awaitWatcherBlockedInPoll();
            nio.sink().write(ByteBuffer.wrap(new byte[] {7}));
            assertThat(channelReady.tryAcquire(10, TimeUnit.SECONDS)).as("round %d: channel", round).isTrue();

            awaitWatcherBlockedInPoll();
            CompletableFuture<Thread> task = new CompletableFuture<>();
            loop.execute(() -> task.complete(Thread.currentThread()));
            assertThat(task.get(10, TimeUnit.SECONDS).getName()).startsWith(NAME);
        }
        // Both at once: one turn may serve both, and neither is lost.
        fds.write(pipe[1], 1);
        nio.sink().write(ByteBuffer.wrap(new byte[] {8}));
        assertThat(fdReady.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(channelReady.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fdReady.availablePermits() + channelReady.availablePermits()).isZero();
    }

    @Test
    void timersFireOnAMixedLoop() throws Exception {
        EventLoop loop = loop("epoll", false).start();
        int[] pipe = fds.pipe();
        Pipe nio = nioPipe();
        CompletableFuture<Long> fired = new CompletableFuture<>();
        loop.execute(() -> {
            loop.register(pipe[0], READ, (r, ev) -> drain(pipe[0]));
            loop.register(nio.source(), READ, (r, ev) -> drainChannel(nio));
            // Measured on the loop's clock from the instant the deadline is based on (the turn's cached now).
            long start = loop.nowMillis();
            loop.setTimeout(() -> fired.complete(loop.nowMillis() - start), 50);
        });
        // The select's own timeout ends the wait: neither the helper nor a wakeup is involved.
        // Never early (1 ms of slack: nowMillis() truncates towards zero, which rounds a negative nanoTime up).
        assertThat(fired.get(10, TimeUnit.SECONDS)).isBetween(49L, 9_000L);
    }

    @Test
    void cancellingOneKindReturnsTheLoopToASingleWaitMechanism() throws Exception {
        EventLoop loop = loop("epoll", false).start();
        int[] pipe = fds.pipe();
        Pipe nio = nioPipe();
        Semaphore fdReady = new Semaphore(0);
        Semaphore channelReady = new Semaphore(0);
        CompletableFuture<Registration> channelReg = new CompletableFuture<>();
        loop.execute(() -> {
            loop.register(pipe[0], READ, (r, ev) -> {
                drain(pipe[0]);
                fdReady.release();
            });
            channelReg.complete(loop.register(nio.source(), READ, (r, ev) -> {
                drainChannel(nio);
                channelReady.release();
            }));
        });
        Registration ch = channelReg.get(10, TimeUnit.SECONDS);
        awaitWatcherBlockedInPoll();
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        loop.execute(() -> {
            ch.cancel();
            cancelled.complete(null);
        });
        cancelled.get(10, TimeUnit.SECONDS);
        // Only the descriptor is left: the loop blocks in epoll_wait again and still sees it.
        for (int round = 0; round < 5; round++) {
            fds.write(pipe[1], 1);
            assertThat(fdReady.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        }
        nio.sink().write(ByteBuffer.wrap(new byte[] {1}));
        CompletableFuture<Void> turn = new CompletableFuture<>();
        loop.execute(() -> turn.complete(null));
        turn.get(10, TimeUnit.SECONDS);
        assertThat(channelReady.availablePermits()).as("a cancelled channel is not reported").isZero();
    }

    @Test
    void aPollerWithoutAwaitReadinessRefusesTheSecondKindWithAClearMessage() throws Exception {
        EventLoop loop = loop("epoll-no-await", false);
        int[] pipe = fds.pipe();
        Pipe nio = nioPipe();
        Registration fd = loop.register(pipe[0], READ, (r, ev) -> { });
        assertThatThrownBy(() -> loop.register(nio.source(), READ, (r, ev) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epoll-no-await")
                .hasMessageContaining("two loops");
        fd.cancel();
        // With the descriptor gone, channels are fine; and now descriptors are refused.
        Registration channel = loop.register(nio.source(), READ, (r, ev) -> { });
        assertThatThrownBy(() -> loop.register(pipe[0], READ, (r, ev) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two loops");
        channel.cancel();
        assertThat(loop.pollerName()).isEqualTo("epoll-no-await");
    }

    /** Waits (bounded) until the loop has armed its helper and the helper is blocked in poll(2). */
    private static void awaitWatcherBlockedInPoll() {
        String name = NAME + "-io-watcher";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                StackTraceElement[] stack = e.getValue();
                if (e.getKey().getName().equals(name) && stack.length > 0
                        && stack[0].getMethodName().equals("poll")) {
                    return;
                }
            }
            LockSupport.parkNanos(1_000_000L);
        }
        throw new AssertionError("no thread " + name + " blocked in poll(2) within 10 s");
    }

    private void drain(int fd) {
        try {
            fds.drain(fd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drainChannel(Pipe p) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            while (p.source().read(b) > 0) {
                b.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

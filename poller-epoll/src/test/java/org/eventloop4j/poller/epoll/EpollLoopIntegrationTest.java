package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eventloop4j.IoEvents.READ;
import static org.eventloop4j.IoEvents.WRITE;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop driven by the epoll poller: handlers, microtask checkpoints, interest changes, cancellation, wakeups from
 * other threads and timers, all over real descriptors.
 */
class EpollLoopIntegrationTest {
    private final TestDescriptors fds = new TestDescriptors();
    private final List<EventLoop> loops = new ArrayList<>();
    private final AtomicReference<Throwable> uncaught = new AtomicReference<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (EventLoop loop : loops) {
            loop.close();
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        fds.close();
        assertThat(uncaught.get()).as("uncaught exception on the loop").isNull();
    }

    private EventLoop.Builder epollLoop() {
        return EventLoop.builder().poller("epoll").threadName("epoll-it")
                .uncaughtExceptionHandler((l, t) -> uncaught.compareAndSet(null, t));
    }

    private EventLoop track(EventLoop loop) {
        loops.add(loop);
        return loop;
    }

    @Test
    void readOnAPipeRunsTheHandlerOnTheLoopThreadWithACheckpointAfterEachCallback() throws Exception {
        EventLoop loop = track(epollLoop().build()).start();
        int[] a = fds.pipe();
        int[] b = fds.pipe();
        List<String> order = new CopyOnWriteArrayList<>();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(2);
        AtomicReference<Thread> loopThread = new AtomicReference<>();

        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            loopThread.set(Thread.currentThread());
            for (int[] pipe : List.of(a, b)) {
                String name = pipe == a ? "a" : "b";
                loop.register(pipe[0], READ, (r, events) -> {
                    threads.add(Thread.currentThread());
                    order.add("io-" + name + ":" + events);
                    loop.queueMicrotask(() -> {
                        order.add("micro-" + name);
                        done.countDown();
                    });
                    loop.nextTick(() -> order.add("tick-" + name));
                    drain(pipe[0]);
                    r.cancel();
                });
            }
            registered.complete(null);
        });
        registered.get(10, TimeUnit.SECONDS);
        assertThat(loop.pollerName()).isEqualTo("epoll");

        // Both pipes become readable while the loop is held inside a task, so the epoll_wait of that same turn
        // reports both in one batch and the checkpoints must come between the callbacks of that batch. (Writing to an
        // idle loop could let it wake and run a's handler before b is written: two batches, a weaker check.)
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            awaitOnLoop(release);
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).as("the loop runs the holding task").isTrue();
        fds.write(a[1], 1);
        fds.write(b[1], 1);
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(threads).containsExactly(loopThread.get());
        assertThat(order).hasSize(6);
        // Each handler is followed by its checkpoint (nextTick queue first, then microtasks) before the next one.
        for (int i = 0; i < 6; i += 3) {
            String name = order.get(i).substring(3, 4);
            assertThat(order.subList(i, i + 3)).containsExactly("io-" + name + ":" + READ, "tick-" + name,
                    "micro-" + name);
        }
    }

    @Test
    void interestChangesThroughTheRegistration() throws Exception {
        EventLoop loop = track(epollLoop().build()).start();
        int[] sockets = fds.socketPair();
        List<Integer> events = new CopyOnWriteArrayList<>();
        CountDownLatch switched = new CountDownLatch(1);
        CountDownLatch readSeen = new CountDownLatch(1);

        loop.execute(() -> loop.register(sockets[0], WRITE, (r, ready) -> {
            events.add(ready);
            if (ready == WRITE) {
                r.interest(READ); // writable at once; now wait for data instead
                assertThat(r.interest()).isEqualTo(READ);
                switched.countDown();
            } else {
                drain(sockets[0]);
                r.cancel();
                readSeen.countDown();
            }
        }));
        assertThat(switched.await(10, TimeUnit.SECONDS)).isTrue();
        fds.write(sockets[1], 5);
        assertThat(readSeen.await(10, TimeUnit.SECONDS)).isTrue();
        // A level-triggered WRITE would repeat on every turn had the interest not changed.
        assertThat(events).containsExactly(WRITE, READ);
    }

    @Test
    void cancelStopsCallbacksAndReleasesTheLoop() throws Exception {
        EventLoop loop = track(epollLoop().exitWhenIdle(true).build());
        int[] pipe = fds.pipe();
        fds.write(pipe[1], 3);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Registration> registration = new AtomicReference<>();
        registration.set(loop.register(pipe[0], READ, (r, ready) -> {
            calls.incrementAndGet();
            r.cancel(); // the pipe stays readable: only the cancellation stops further callbacks
        }));

        CompletableFuture<Void> ran = CompletableFuture.runAsync(loop::run);
        ran.get(10, TimeUnit.SECONDS); // run() returns: a cancelled registration keeps nothing alive
        assertThat(calls.get()).isEqualTo(1);
        assertThat(registration.get().isActive()).isFalse();
        assertThat(fds.drain(pipe[0])).as("the descriptor was neither read nor closed").isEqualTo(3);
    }

    @Test
    void aThousandRegistrationsAreAllServed() throws Exception {
        EventLoop loop = track(epollLoop().exitWhenIdle(true).build());
        int n = 1000;
        int[] calls = new int[n];
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < n; i++) {
            int index = i;
            loop.register(fds.eventFd(1), READ, (r, ready) -> {
                threads.add(Thread.currentThread());
                calls[index]++;
                r.cancel();
            });
        }
        CompletableFuture<Void> ran = CompletableFuture.runAsync(loop::run);
        ran.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertThat(calls[i]).as("registration %d", i).isEqualTo(1);
        }
        assertThat(threads).hasSize(1);
    }

    @Test
    void executeFromOtherThreadsWakesALoopBlockedInEpollWait() throws Exception {
        EventLoop loop = track(epollLoop().build()).start();
        int[] pipe = fds.pipe();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            loopThread.set(Thread.currentThread());
            loop.register(pipe[0], READ, (r, ready) -> drain(pipe[0]));
            registered.complete(null);
        });
        registered.get(10, TimeUnit.SECONDS);

        for (int round = 0; round < 20; round++) {
            awaitInEpollWait(loopThread.get());
            int producers = 3;
            int perProducer = 200;
            CountDownLatch ran = new CountDownLatch(producers * perProducer);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        loop.execute(ran::countDown);
                    }
                }, "producer-" + p);
                threads.add(t);
                t.start();
            }
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("round %d", round).isTrue();
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    @Test
    void timersFireWhileDescriptorsAreRegistered() throws Exception {
        EventLoop loop = track(epollLoop().build()).start();
        int[] pipe = fds.pipe();
        CompletableFuture<Long> fired = new CompletableFuture<>();
        CountDownLatch ticks = new CountDownLatch(3);
        List<Integer> ioEvents = new CopyOnWriteArrayList<>();
        CountDownLatch ioSeen = new CountDownLatch(1);
        loop.execute(() -> {
            // A timer's deadline is the loop's cached "now" of the turn (as libuv's uv_now) plus its delay: measure
            // from that same instant (nowMillis() is it, truncated to the millisecond), so a clock read earlier in
            // the turn or a loop thread preempted before this line cannot make the timer look early. Set it before
            // the first registration, which loads JNA and can take tens of milliseconds.
            long loopNow = TimeUnit.MILLISECONDS.toNanos(loop.nowMillis());
            loop.setTimeout(() -> fired.complete(System.nanoTime() - loopNow), 100);
            loop.register(pipe[0], READ, (r, ready) -> {
                ioEvents.add(ready);
                drain(pipe[0]);
                ioSeen.countDown();
            });
            long[] interval = new long[1];
            interval[0] = loop.setInterval(() -> {
                ticks.countDown();
                if (ticks.getCount() == 0) {
                    loop.clearInterval(interval[0]);
                }
            }, 20);
        });
        long elapsed = fired.get(10, TimeUnit.SECONDS);
        // Never early (1 ms of slack: nowMillis() truncates towards zero, which rounds a negative nanoTime up), and
        // not lost: a wide upper bound for a loaded machine.
        assertThat(elapsed).isBetween(TimeUnit.MILLISECONDS.toNanos(99), TimeUnit.SECONDS.toNanos(5));
        assertThat(ticks.await(10, TimeUnit.SECONDS)).isTrue();

        fds.write(pipe[1], 1);
        assertThat(ioSeen.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ioEvents).containsExactly(READ);
    }

    @Test
    void aLoopOnAVirtualThreadWaitsThroughAwaitReadiness() throws Exception {
        assumeTrue(EventLoop.runtimeVariant().equals("java21"), "the Java 21 overlay runs loops on virtual threads");
        EventLoop loop = track(epollLoop().virtualThread(true).build()).start();
        int[] pipe = fds.pipe();
        List<Integer> events = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch both = new CountDownLatch(2);
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            loop.register(pipe[0], READ, (r, ready) -> {
                handlerThread.set(Thread.currentThread());
                events.add(ready);
                drain(pipe[0]);
                first.countDown();
                both.countDown();
            });
            registered.complete(null);
        });
        registered.get(10, TimeUnit.SECONDS);
        fds.write(pipe[1], 1);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

        // A task from another thread while the loop waits (an unpark), then a second readiness (the helper thread).
        CompletableFuture<Void> task = new CompletableFuture<>();
        loop.execute(() -> task.complete(null));
        task.get(10, TimeUnit.SECONDS);
        // The idle loop must now wait through its platform helper, blocked in poll(2) on the epoll descriptor
        // (EpollPoller.awaitReadiness), never in a native call on the virtual thread itself. Writing only once the
        // helper is there makes the second readiness arrive through it (writing earlier could let the loop's own
        // non-blocking check find the byte, which proves nothing about the helper).
        Thread watcher = awaitThreadBlockedIn("epoll-it-io-watcher", "poll");
        assertThat(Thread.class.getMethod("isVirtual").invoke(watcher)).isEqualTo(false);
        fds.write(pipe[1], 1);
        assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly(READ, READ);
        assertThat(Thread.class.getMethod("isVirtual").invoke(handlerThread.get())).isEqualTo(true);
    }

    /** Waits (bounded) until a live thread of that name has the native method {@code method} on top of its stack. */
    private static Thread awaitThreadBlockedIn(String threadName, String method) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                StackTraceElement[] stack = e.getValue();
                if (e.getKey().getName().equals(threadName) && stack.length > 0
                        && stack[0].getMethodName().equals(method)) {
                    return e.getKey();
                }
            }
            LockSupport.parkNanos(1_000_000L);
        }
        throw new AssertionError("no thread named " + threadName + " blocked in " + method + " within 10 s; threads: "
                + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList());
    }

    /** Blocks the loop thread (inside a task) until the test releases it; bounded, fails the test otherwise. */
    private static void awaitOnLoop(CountDownLatch release) {
        try {
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the test did not release the loop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while holding the loop", e);
        }
    }

    private void drain(int fd) {
        try {
            fds.drain(fd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) until the loop thread is blocked inside {@code epoll_wait}. */
    private static void awaitInEpollWait(Thread loopThread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            StackTraceElement[] stack = loopThread.getStackTrace();
            if (stack.length > 0 && stack[0].getMethodName().equals("epoll_wait")) {
                return;
            }
            LockSupport.parkNanos(1_000_000L);
        }
        throw new AssertionError("the loop thread did not block in epoll_wait within 10 s");
    }
}

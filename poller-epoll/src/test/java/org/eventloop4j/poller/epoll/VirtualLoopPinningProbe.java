package org.eventloop4j.poller.epoll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.eventloop4j.EventLoop;
import org.eventloop4j.IoEvents;
import org.eventloop4j.LoopState;

/**
 * Run in a child JVM whose virtual-thread scheduler has exactly ONE carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}).
 * A loop on a virtual thread waits for epoll readiness; if that wait pinned the carrier (a blocking {@code epoll_wait}
 * through JNA), no other virtual thread could run until the loop woke up. Prints {@code PASS ...} or
 * {@code FAIL ...} and exits 0 or 1.
 *
 * <p>Argument: what the loop waits on: {@code fd} (a native pipe through epoll, the default), {@code channel} (an NIO
 * pipe through a Selector) or {@code mixed} (both on one loop). With a Selector, the blocking select must run on the
 * platform helper {@code vloop-io-select}: before JDK 25 a virtual thread blocked in a select pins its carrier.
 */
public final class VirtualLoopPinningProbe {
    private VirtualLoopPinningProbe() {
    }

    public static void main(String[] args) throws Exception {
        Recording rec = new Recording();
        rec.enable("jdk.VirtualThreadPinned").withThreshold(java.time.Duration.ZERO).withStackTrace();
        rec.start();
        ExecutorService virtualThreads = (ExecutorService) Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        String kind = args.length > 0 ? args[0] : "fd";
        boolean useFd = !kind.equals("channel");
        boolean useChannel = !kind.equals("fd");
        java.nio.channels.Pipe nio = java.nio.channels.Pipe.open();
        nio.source().configureBlocking(false);
        try (TestDescriptors fds = new TestDescriptors()) {
            int[] pipe = fds.pipe();
            EventLoop loop = EventLoop.builder().virtualThread(true).poller("epoll").threadName("vloop").build();
            CompletableFuture<Boolean> readOnVirtual = new CompletableFuture<>();
            CompletableFuture<Boolean> channelOnVirtual = new CompletableFuture<>();
            if (useFd) {
                loop.register(pipe[0], IoEvents.READ, (r, ev) -> {
                    try {
                        fds.drain(pipe[0]);
                    } catch (java.io.IOException e) {
                        readOnVirtual.completeExceptionally(e);
                    }
                    readOnVirtual.complete(isVirtual(Thread.currentThread()));
                });
            }
            if (useChannel) {
                loop.register(nio.source(), IoEvents.READ, (r, ev) -> {
                    try {
                        nio.source().read(java.nio.ByteBuffer.allocate(64));
                    } catch (java.io.IOException e) {
                        channelOnVirtual.completeExceptionally(e);
                    }
                    channelOnVirtual.complete(isVirtual(Thread.currentThread()));
                });
            }
            loop.setTimeout(() -> { }, 60_000);    // the loop sleeps towards a far deadline
            loop.start();
            awaitSleeping(loop, "after start");

            // 1. The only carrier must be free while the loop waits for I/O.
            CompletableFuture<Boolean> other = new CompletableFuture<>();
            virtualThreads.execute(() -> other.complete(true));
            if (!completes(other)) {
                fail("another virtual thread could not run while the loop waited for epoll readiness: carrier pinned");
            }
            if (useChannel && !selectRunsOnHelper()) {
                fail("the blocking select does not run on the platform helper vloop-io-select");
            }
            // 2. Readiness still reaches the loop, on its virtual thread.
            if (useFd) {
                fds.write(pipe[1], 1);
                if (!completes(readOnVirtual) || !readOnVirtual.get()) {
                    fail("READ readiness was not delivered on the virtual loop thread");
                }
            }
            if (useChannel) {
                awaitSleeping(loop, "before the channel write");
                nio.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                if (!completes(channelOnVirtual) || !channelOnVirtual.get()) {
                    fail("channel readiness was not delivered on the virtual loop thread");
                }
            }
            // 3. Producers on virtual threads wake the loop (unpark) without pinning.
            CountDownLatch woke = new CountDownLatch(200);
            for (int i = 0; i < 200; i++) {
                virtualThreads.execute(() -> loop.execute(woke::countDown));
                if (i % 20 == 0) {
                    awaitSleeping(loop, "between producer batches");
                }
            }
            if (!woke.await(20, TimeUnit.SECONDS)) {
                fail("tasks from virtual threads did not all run: " + woke.getCount() + " left");
            }
            String expected = useFd ? "epoll" : "nio";
            if (!loop.pollerName().equals(expected)) {
                fail("expected the " + expected + " poller, got " + loop.pollerName());
            }
            loop.close();
        } finally {
            virtualThreads.shutdown();
            nio.source().close();
            nio.sink().close();
        }
        rec.stop();
        Path out = Files.createTempFile("pinning", ".jfr");
        rec.dump(out);
        int pinned = 0;
        StringBuilder where = new StringBuilder();
        for (RecordedEvent e : RecordingFile.readAllEvents(out)) {
            if (e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                pinned++;
                where.append('\n').append(e.getStackTrace());
            }
        }
        Files.deleteIfExists(out);
        if (pinned > 0) {
            fail(pinned + " jdk.VirtualThreadPinned events:" + where);
        }
        System.out.println("PASS variant=" + EventLoop.runtimeVariant() + " pinnedEvents=0");
        System.exit(0);
    }

    private static boolean completes(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Bounded wait for the platform helper to be inside a Selector's select. */
    private static boolean selectRunsOnHelper() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey().getName().equals("vloop-io-select")) {
                    for (StackTraceElement f : e.getValue()) {
                        if (f.getMethodName().equals("select") && f.getClassName().contains("SelectorImpl")) {
                            return true;
                        }
                    }
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        return false;
    }

    /**
     * Waits (bounded) until the loop reports SLEEPING. Polls with a short park rather than spinning: a spinning main
     * thread would compete for the CPU with the loop's only carrier on a loaded machine. Fails the probe when the loop
     * never goes to sleep, instead of going on as if it had (which would blame a slow loop on pinning).
     */
    private static void awaitSleeping(EventLoop loop, String when) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loop.state() != LoopState.SLEEPING) {
            if (System.nanoTime() - deadline > 0) {
                fail("the loop did not go to sleep within 30 s " + when + " (state " + loop.state() + ")");
            }
            LockSupport.parkNanos(200_000L);
        }
    }

    private static boolean isVirtual(Thread t) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static void fail(String why) {
        System.out.println("FAIL " + why);
        System.exit(1);
    }
}

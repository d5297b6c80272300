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
        try (TestDescriptors fds = new TestDescriptors()) {
            int[] pipe = fds.pipe();
            EventLoop loop = EventLoop.builder().virtualThread(true).poller("epoll").threadName("vloop").build();
            CompletableFuture<Boolean> readOnVirtual = new CompletableFuture<>();
            loop.register(pipe[0], IoEvents.READ, (r, ev) -> {
                try {
                    fds.drain(pipe[0]);
                } catch (java.io.IOException e) {
                    readOnVirtual.completeExceptionally(e);
                }
                readOnVirtual.complete(isVirtual(Thread.currentThread()));
            });
            loop.setTimeout(() -> { }, 60_000);    // the loop sleeps towards a far deadline
            loop.start();
            awaitSleeping(loop, "after start");

            // 1. The only carrier must be free while the loop waits for I/O.
            CompletableFuture<Boolean> other = new CompletableFuture<>();
            virtualThreads.execute(() -> other.complete(true));
            if (!completes(other)) {
                fail("another virtual thread could not run while the loop waited for epoll readiness: carrier pinned");
            }
            // 2. Readiness still reaches the loop, on its virtual thread.
            fds.write(pipe[1], 1);
            if (!completes(readOnVirtual) || !readOnVirtual.get()) {
                fail("READ readiness was not delivered on the virtual loop thread");
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
            if (!loop.pollerName().equals("epoll")) {
                fail("expected the epoll poller, got " + loop.pollerName());
            }
            loop.close();
        } finally {
            virtualThreads.shutdown();
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

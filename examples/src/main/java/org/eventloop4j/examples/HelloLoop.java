package org.eventloop4j.examples;

import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.EventLoop;

/**
 * The loop's scheduling rules in one screen: run it and compare the order with the same script under Node
 * ({@code examples/js/hello.js}).
 */
public final class HelloLoop {
    private HelloLoop() {
    }

    /**
     * Entry point.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the worker thread
     */
    public static void main(String[] args) throws InterruptedException {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        loop.execute(() -> {
            System.out.println("main task");
            loop.setTimeout(() -> System.out.println("timeout 10 ms"), 10);
            loop.setTimeout(() -> {
                System.out.println("timeout 0 ms");
                loop.nextTick(() -> System.out.println("  nextTick inside the timeout"));
                loop.queueMicrotask(() -> System.out.println("  microtask inside the timeout"));
            }, 0);
            loop.setImmediate(() -> System.out.println("immediate"));
            loop.queueMicrotask(() -> System.out.println("microtask"));
            loop.nextTick(() -> System.out.println("nextTick"));
            AtomicInteger ticks = new AtomicInteger();
            long[] id = new long[1];
            id[0] = loop.setInterval(() -> {
                System.out.println("interval " + ticks.incrementAndGet());
                if (ticks.get() == 3) {
                    loop.clearInterval(id[0]);
                }
            }, 5);
        });
        // Another thread hands work to the loop; the loop stays alive while the KeepAlive is held.
        var hold = loop.keepAlive();
        Thread worker = new Thread(() -> {
            String from = Thread.currentThread().getName();
            loop.execute(() -> System.out.println("task handed in by the '" + from + "' thread, run on the loop"));
            hold.close();
        }, "worker");
        worker.start();
        loop.run();
        worker.join();
        System.out.println("loop " + loop.state().name().toLowerCase() + " (" + EventLoop.runtimeVariant() + " overlay)");
    }
}

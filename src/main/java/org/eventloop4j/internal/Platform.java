package org.eventloop4j.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What differs between Java 17 and Java 21+: this is the <b>base (Java 17)</b> variant. The Java 21 overlay in
 * {@code src/main/java21} (packaged under {@code META-INF/versions/21}) replaces this class with one that uses
 * virtual threads. Both variants have the same members; the public API never exposes which one is loaded except
 * through {@code EventLoop.runtimeVariant()}.
 */
public final class Platform {

    /**
     * Which variant is loaded. A method, not a constant: a {@code static final String} would be inlined into callers
     * at compile time and always report the base variant.
     *
     * @return {@code "java17"} here
     */
    public static String variant() {
        return "java17";
    }

    private static final AtomicInteger WORKER_IDS = new AtomicInteger();

    private Platform() {
    }

    /**
     * Creates an unstarted thread for an owned loop.
     *
     * @param task what the thread runs
     * @param name the thread name
     * @param virtual whether a virtual thread was requested
     * @return the thread
     * @throws UnsupportedOperationException if {@code virtual} is requested: it needs Java 21+
     */
    public static Thread newLoopThread(Runnable task, String name, boolean virtual) {
        if (virtual) {
            throw new UnsupportedOperationException(
                    "virtual loop threads need Java 21 or newer; this JVM is Java " + Runtime.version().feature());
        }
        Thread t = new Thread(task, name);
        t.setDaemon(false);
        return t;
    }

    /**
     * @param t a thread
     * @return whether it is a virtual thread (never, on Java 17)
     */
    public static boolean isVirtual(Thread t) {
        return false;
    }

    /**
     * The executor for blocking work handed off by {@code promisify}: on Java 17 a bounded pool of daemon threads
     * (at most {@code max(4, 2 * cores)} threads, unbounded queue, idle threads retire after 30 s).
     *
     * @param name a prefix for thread names
     * @return a new executor
     */
    public static ExecutorService newWorkExecutor(String name) {
        int max = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, name + "-worker-" + WORKER_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(max, max, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), tf);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}

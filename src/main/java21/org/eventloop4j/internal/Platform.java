package org.eventloop4j.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What differs between Java 17 and Java 21+: this is the <b>Java 21 overlay</b> variant, packaged under
 * {@code META-INF/versions/21}. Loop threads may be virtual, and blocking work handed off by {@code promisify} runs
 * on virtual threads, so thousands of in-flight calls cost no platform threads.
 */
public final class Platform {

    /**
     * Which variant is loaded. A method, not a constant: a {@code static final String} would be inlined into callers
     * at compile time and always report the base variant.
     *
     * @return {@code "java21"} here
     */
    public static String variant() {
        return "java21";
    }

    private Platform() {
    }

    /**
     * Creates an unstarted thread for an owned loop.
     *
     * @param task what the thread runs
     * @param name the thread name
     * @param virtual whether a virtual thread was requested
     * @return the thread
     */
    public static Thread newLoopThread(Runnable task, String name, boolean virtual) {
        if (virtual) {
            return Thread.ofVirtual().name(name).unstarted(task);
        }
        return Thread.ofPlatform().name(name).daemon(false).unstarted(task);
    }

    /**
     * @param t a thread
     * @return whether it is a virtual thread
     */
    public static boolean isVirtual(Thread t) {
        return t.isVirtual();
    }

    /**
     * The executor for blocking work handed off by {@code promisify}: one virtual thread per task.
     *
     * @param name a prefix for thread names
     * @return a new executor
     */
    public static ExecutorService newWorkExecutor(String name) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-vworker-", 1).factory());
    }
}

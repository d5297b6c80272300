package org.eventloop4j;

/**
 * Receives throwables escaping loop callbacks (tasks, timers, immediates, microtasks, I/O handlers). The loop
 * always goes on with the next callback. Called on the loop thread; if the handler itself throws, that throwable is
 * logged and dropped.
 */
@FunctionalInterface
public interface UncaughtExceptionHandler {

    /**
     * @param loop the loop the callback ran on
     * @param error what the callback threw, including {@link Error}s such as {@link StackOverflowError}
     */
    void uncaughtException(EventLoop loop, Throwable error);
}

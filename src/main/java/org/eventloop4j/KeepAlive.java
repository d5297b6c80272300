package org.eventloop4j;

/**
 * Keeps a loop alive (see {@link EventLoop.Builder#exitWhenIdle(boolean)}) until closed, for work the loop cannot
 * see, such as a callback that another library will deliver through {@link EventLoop#execute}. Closing is
 * idempotent and thread-safe.
 */
public interface KeepAlive extends AutoCloseable {
    /** Releases the hold. */
    @Override
    void close();
}

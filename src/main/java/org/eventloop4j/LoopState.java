package org.eventloop4j;

/** The observable lifecycle of an {@link EventLoop}. */
public enum LoopState {
    /** Built; no thread has run it yet. Work submitted now is kept and runs once the loop runs. */
    NEW,
    /** A thread is running a turn (or an embedder pumps it with {@code runOnce}/{@code runNow}). */
    RUNNING,
    /** The loop thread is blocked waiting for work, a timer or I/O. */
    SLEEPING,
    /** {@code shutdown()} was called: no new work is accepted; queued work is finishing. */
    STOPPING,
    /** The loop has stopped for good. */
    TERMINATED
}

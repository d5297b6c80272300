package org.eventloop4j.spi;

import java.io.IOException;

/**
 * Waits for readiness of native descriptors on behalf of one event loop.
 *
 * <h2>Threading</h2>
 * All methods except {@link #wakeup()} and {@link #awaitReadiness(long)} are called only by the loop's thread.
 * {@link #wakeup()} may be called from any thread at any time, including concurrently with {@link #poll} and after
 * {@link #close()} (where it must do nothing). {@link #awaitReadiness(long)} is called from one helper platform thread
 * while the loop thread may concurrently call {@link #poll} with a zero timeout.
 *
 * <h2>Semantics</h2>
 * Readiness is <em>level-triggered</em>: a descriptor that stays readable is reported by every poll until it is
 * drained, its interest changes, or it is unregistered. {@link org.eventloop4j.IoEvents#ERROR} and
 * {@link org.eventloop4j.IoEvents#HANGUP} are reported even if not in the interest set. An interest set of 0 keeps the
 * registration but reports nothing except (where the platform does so) errors and hangups.
 *
 * <p>Descriptors are {@code int}s (on Windows, a {@code SOCKET} handle narrowed to 32 bits as Winsock guarantees).
 * The poller never closes a registered descriptor; the owner closes it after {@link #unregister(int)}.
 */
public interface Poller extends AutoCloseable {

    /**
     * Starts watching a descriptor.
     *
     * @param fd the descriptor; not yet registered with this poller
     * @param interest {@link org.eventloop4j.IoEvents#READ} and/or {@link org.eventloop4j.IoEvents#WRITE}, or 0
     * @param token returned with each readiness report for this descriptor
     * @throws IOException if the kernel refuses (for example a closed descriptor: {@code EBADF})
     */
    void register(int fd, int interest, long token) throws IOException;

    /**
     * Changes the interest set and token of a registered descriptor.
     *
     * @param fd a registered descriptor
     * @param interest the new interest set, or 0 to pause
     * @param token the new token
     * @throws IOException if the kernel refuses
     */
    void modify(int fd, int interest, long token) throws IOException;

    /**
     * Stops watching a descriptor. Unregistering a descriptor that the owner already closed is not an error.
     *
     * @param fd a registered descriptor
     * @throws IOException if the kernel refuses for another reason
     */
    void unregister(int fd) throws IOException;

    /**
     * Waits for readiness and reports it.
     *
     * <p>Returns after reporting at least one ready descriptor, after {@link #wakeup()}, after the timeout, or
     * spuriously (for example on {@code EINTR}). A wakeup that arrives while no poll is in progress makes the next
     * poll return promptly. Internal wakeup descriptors are never reported to {@code sink}.
     *
     * @param timeoutNanos negative to wait without limit, 0 to check without blocking, else the longest wait
     * @param sink receives each ready registration, on the calling thread, before this method returns
     * @return the number of reports made to {@code sink}
     * @throws IOException on an unexpected kernel error
     */
    int poll(long timeoutNanos, ReadySink sink) throws IOException;

    /**
     * Makes a blocked or the next {@link #poll} (and {@link #awaitReadiness}) return promptly. Thread-safe.
     * The loop deduplicates calls, so at most one is in flight per sleep.
     */
    void wakeup();

    /**
     * Whether {@link #awaitReadiness(long)} is implemented.
     *
     * @return {@code true} if a helper thread may wait for readiness without consuming it
     */
    default boolean supportsAwaitReadiness() {
        return false;
    }

    /**
     * Blocks the calling <em>platform</em> thread until a {@link #poll} would report something (a ready descriptor
     * or a pending {@link #wakeup()}), or until the timeout, <em>without</em> consuming the readiness. Used when the
     * loop runs on a virtual thread, which must not sit in a blocking native call.
     *
     * @param timeoutNanos negative to wait without limit, else the longest wait
     * @return {@code true} if readiness is (probably) pending, {@code false} on timeout
     * @throws IOException on an unexpected kernel error
     * @throws UnsupportedOperationException if {@link #supportsAwaitReadiness()} is false
     */
    default boolean awaitReadiness(long timeoutNanos) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " does not support awaitReadiness");
    }

    /**
     * Releases the kernel objects. Registered descriptors are not closed. Idempotent.
     *
     * @throws IOException if closing fails
     */
    @Override
    void close() throws IOException;
}

package org.eventloop4j.spi;

/**
 * Receives readiness from {@link Poller#poll(long, ReadySink)}, on the thread that called {@code poll}.
 */
@FunctionalInterface
public interface ReadySink {

    /**
     * Reports one ready registration.
     *
     * @param token the token given when the descriptor was registered or last modified
     * @param readyEvents a non-empty combination of {@link org.eventloop4j.IoEvents} bits
     */
    void ready(long token, int readyEvents);
}

package org.eventloop4j;

/**
 * Called on the loop thread when a registered descriptor or channel is ready. A microtask checkpoint follows each
 * call. A handler that throws reports to the loop's {@link UncaughtExceptionHandler}; the registration stays.
 */
@FunctionalInterface
public interface IoHandler {

    /**
     * @param registration the registration that is ready
     * @param readyEvents {@link IoEvents} bits: some of the interest set, plus ERROR or HANGUP
     */
    void onReady(Registration registration, int readyEvents);
}

package org.eventloop4j;

/**
 * Told about a promise rejected with no reaction registered by the end of a microtask checkpoint (Node's
 * {@code process.on('unhandledRejection')}). Set with {@link Promise#onUnhandledRejection}. Runs on the loop thread,
 * once per promise; a throw goes to the loop's {@link UncaughtExceptionHandler}.
 */
@FunctionalInterface
public interface UnhandledRejectionHandler {

    /**
     * @param promise the rejected promise
     * @param reason its reason
     */
    void unhandledRejection(Promise<?> promise, Throwable reason);
}

package org.eventloop4j;

/**
 * Told when a promise that was reported to the {@link UnhandledRejectionHandler} gets a reaction after all (Node's
 * {@code process.on('rejectionHandled')}). Set with {@link Promise#onRejectionHandled}. Runs on the loop thread at the
 * end of a microtask checkpoint; a throw goes to the loop's {@link UncaughtExceptionHandler}.
 */
@FunctionalInterface
public interface RejectionHandledHandler {

    /** @param promise the promise that was reported unhandled and now has a handler */
    void rejectionHandled(Promise<?> promise);
}

package org.eventloop4j;

import java.util.function.Consumer;

/**
 * A foreign "thenable": an object with a {@code then(resolve, reject)} method, which a {@link Promise} adopts when
 * resolved with it (Promises/A+ 2.3.3). Adoption happens in a microtask, as ECMAScript's
 * NewPromiseResolveThenableJob: {@code then} is called with fresh resolving functions; the first call to either wins,
 * later calls are ignored, and a throw after one of them was called is ignored too.
 *
 * <p>An object whose {@code then} must be looked up (a JavaScript object, where the lookup may run a getter) should
 * implement {@link ThenableLookup} instead.
 */
@FunctionalInterface
public interface Thenable {

    /**
     * Subscribes the promise being resolved to this thenable's outcome.
     *
     * @param resolve resolves the promise (with a value, or another promise or thenable to adopt); any thread
     * @param reject rejects the promise; any thread
     * @throws Throwable rejects the promise, unless {@code resolve} or {@code reject} was already called
     */
    void then(Consumer<Object> resolve, Consumer<Throwable> reject) throws Throwable;
}

package org.eventloop4j;

import java.util.function.Consumer;

/**
 * The executor of {@link Promise#create(EventLoop, PromiseExecutor)}, as the function passed to JavaScript's
 * {@code new Promise(executor)}.
 *
 * @param <T> the type of the fulfilment value
 */
@FunctionalInterface
public interface PromiseExecutor<T> {

    /**
     * Runs synchronously inside {@code create}. Either function may be called later, from any thread; the first call
     * to either wins.
     *
     * @param resolve resolves the promise with a value, a {@link Promise} or a thenable to adopt
     * @param reject rejects the promise with a reason (null becomes a {@link NullPointerException})
     * @throws Throwable rejects the promise, unless it was already resolved
     */
    void execute(Consumer<Object> resolve, Consumer<Throwable> reject) throws Throwable;
}

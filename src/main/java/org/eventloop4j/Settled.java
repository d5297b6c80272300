package org.eventloop4j;

import java.util.Objects;

/**
 * The outcome of one input of {@link Promise#allSettled}: JavaScript's {@code {status, value}} or
 * {@code {status, reason}} object.
 *
 * @param status {@link Promise.State#FULFILLED} or {@link Promise.State#REJECTED}
 * @param value the value if fulfilled, else null
 * @param reason the reason if rejected, else null
 * @param <T> the type of the value
 */
public record Settled<T>(Promise.State status, T value, Throwable reason) {

    /**
     * Checks the combination.
     *
     * @param status fulfilled or rejected
     * @param value the value (null unless fulfilled)
     * @param reason the reason (non-null exactly when rejected)
     */
    public Settled {
        Objects.requireNonNull(status, "status");
        if (status == Promise.State.PENDING) {
            throw new IllegalArgumentException("a Settled outcome cannot be PENDING");
        }
        if ((status == Promise.State.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("a rejected outcome needs a reason and a fulfilled one must not have "
                    + "one: " + status + ", " + reason);
        }
        if (status == Promise.State.REJECTED && value != null) {
            throw new IllegalArgumentException("a rejected outcome has no value");
        }
    }

    /**
     * @param value the value
     * @param <T> its type
     * @return a fulfilled outcome
     */
    @SuppressWarnings("unchecked")
    public static <T> Settled<T> fulfilled(Object value) {
        return new Settled<>(Promise.State.FULFILLED, (T) value, null);
    }

    /**
     * @param reason the reason, not null
     * @param <T> the value type
     * @return a rejected outcome
     */
    public static <T> Settled<T> rejected(Throwable reason) {
        return new Settled<>(Promise.State.REJECTED, null, reason);
    }

    /** @return whether the input fulfilled */
    public boolean isFulfilled() {
        return status == Promise.State.FULFILLED;
    }

    /** @return whether the input rejected */
    public boolean isRejected() {
        return status == Promise.State.REJECTED;
    }
}

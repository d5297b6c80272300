package org.eventloop4j.graaljs;

import org.graalvm.polyglot.Value;

/**
 * Carries a JavaScript value thrown or used as a rejection reason through Java code, where reasons must be
 * {@link Throwable}s ({@link org.eventloop4j.Promise}). The adapter unwraps it when the reason goes back to
 * JavaScript, so the script sees the very value it threw (identity is preserved).
 *
 * <p>{@link #value()} belongs to the runtime's context: use it on the loop thread only. The message is computed when
 * the carrier is created (on the loop thread), so {@link #getMessage()} is safe anywhere.
 */
public final class JsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Value value;

    JsException(Value value, String message) {
        super(message, null, false, false);
        this.value = value;
    }

    /** @return the JavaScript value (loop thread only) */
    public Value value() {
        return value;
    }
}

package org.eventloop4j;

import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * JavaScript's {@code DOMException} named {@code "AbortError"}: the default reason of
 * {@link AbortController#abort()}. A {@link CancellationException}, so Java code that checks for cancellation
 * recognises it.
 */
public class AbortException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** The default message, as browsers and Node use it. */
    public AbortException() {
        this("This operation was aborted");
    }

    /** @param message the message */
    public AbortException(String message) {
        super(Objects.requireNonNull(message, "message"));
    }

    /** @return {@code "AbortError"}, the JavaScript error name */
    public String name() {
        return "AbortError";
    }
}

package org.eventloop4j;

/**
 * JavaScript's {@code DOMException} named {@code "TimeoutError"}: the reason of {@link AbortSignal#timeout} and of
 * {@link Promise#timeout}. Unchecked, so {@link AbortSignal#throwIfAborted()} throws it as is.
 */
public class OperationTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the message */
    public OperationTimeoutException(String message) {
        super(message);
    }

    /** @return {@code "TimeoutError"}, the JavaScript error name */
    public String name() {
        return "TimeoutError";
    }
}

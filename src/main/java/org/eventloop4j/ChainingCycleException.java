package org.eventloop4j;

/**
 * A promise was resolved with itself (JavaScript's {@code TypeError: Chaining cycle detected for promise}, Promises/A+
 * 2.3.1); the promise rejects with this exception.
 */
public class ChainingCycleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** With JavaScript's message. */
    public ChainingCycleException() {
        super("Chaining cycle detected for promise");
    }
}

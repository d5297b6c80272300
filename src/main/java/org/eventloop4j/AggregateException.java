package org.eventloop4j;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * JavaScript's {@code AggregateError}: the reason of a {@link Promise#any} whose inputs all rejected, carrying every
 * input's reason in input order (none for an empty input). The reasons are also attached as suppressed exceptions, so
 * a logged stack trace shows them.
 */
public class AggregateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @serial the reasons, in input order */
    private final List<Throwable> errors;

    /**
     * @param message the message
     * @param errors the reasons, in input order; copied; no nulls
     */
    public AggregateException(String message, List<? extends Throwable> errors) {
        super(message);
        Objects.requireNonNull(errors, "errors");
        this.errors = List.copyOf(errors);
        for (Throwable t : this.errors) {
            if (t != this) {
                addSuppressed(t);
            }
        }
    }

    /** @return the reasons, in input order, unmodifiable */
    public List<Throwable> getErrors() {
        return Collections.unmodifiableList(errors);
    }
}

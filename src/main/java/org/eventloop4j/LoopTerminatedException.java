package org.eventloop4j;

import java.util.concurrent.RejectedExecutionException;

/** The loop terminated before the work could complete (for example {@code close()} with promisified work pending). */
public class LoopTerminatedException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    /** @param message what was cut short */
    public LoopTerminatedException(String message) {
        super(message);
    }
}

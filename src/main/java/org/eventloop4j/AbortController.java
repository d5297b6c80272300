package org.eventloop4j;

/**
 * JavaScript's {@code AbortController}: owns an {@link AbortSignal} and aborts it.
 *
 * <pre>{@code
 * AbortController ac = new AbortController(loop);
 * Promise<String> body = Promise.promisify(loop, () -> download(url), ac.signal());
 * loop.setTimeout(ac::abort, 5_000);     // interrupts the download and rejects body with an AbortException
 * }</pre>
 *
 * <p>Thread-safe: {@link #abort} may be called from any thread; the first call wins.
 */
public final class AbortController {
    private final AbortSignal signal;

    /** A controller whose signal is not bound to a loop: its listeners run on the thread that aborts. */
    public AbortController() {
        this.signal = new AbortSignal(null);
    }

    /**
     * A controller whose signal is bound to {@code loop}: its listeners run on the loop thread.
     *
     * @param loop the loop listeners run on
     */
    public AbortController(EventLoop loop) {
        this.signal = new AbortSignal(Promise.requireLoop(loop));
    }

    /** @return the signal */
    public AbortSignal signal() {
        return signal;
    }

    /** Aborts the signal with a new {@link AbortException} (named "AbortError"); ignored if already aborted. */
    public void abort() {
        signal.signalAbort(new AbortException());
    }

    /**
     * Aborts the signal with {@code reason}; ignored if already aborted.
     *
     * @param reason the reason, handed unchanged to everything the signal cancels; null means a new
     *     {@link AbortException}, as {@code abort(undefined)} in JavaScript
     */
    public void abort(Throwable reason) {
        signal.signalAbort(reason != null ? reason : new AbortException());
    }

    @Override
    public String toString() {
        return "AbortController[" + signal + "]";
    }
}

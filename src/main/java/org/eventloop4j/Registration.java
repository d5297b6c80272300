package org.eventloop4j;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * An I/O registration on a loop: a native descriptor (through the loop's {@link org.eventloop4j.spi.Poller}) or a
 * {@link SelectableChannel} (through a {@link java.nio.channels.Selector}). Its handler runs on the loop thread.
 *
 * <p>Methods must be called on the loop thread, or before the loop runs.
 */
public final class Registration {
    final EventLoop loop;
    final long token;
    final int fd;
    final SelectableChannel channel;
    final IoHandler handler;
    int interest;
    boolean active = true;
    boolean ref = true;
    SelectionKey key;

    Registration(EventLoop loop, long token, int fd, SelectableChannel channel, int interest, IoHandler handler) {
        this.loop = loop;
        this.token = token;
        this.fd = fd;
        this.channel = channel;
        this.interest = interest;
        this.handler = handler;
    }

    /** @return the native descriptor, or -1 for a channel registration */
    public int fd() {
        return fd;
    }

    /** @return the channel, or null for a descriptor registration */
    public SelectableChannel channel() {
        return channel;
    }

    /** @return the current interest set */
    public int interest() {
        return interest;
    }

    /**
     * Changes the interest set; 0 pauses the registration (it still keeps the loop alive unless unref'd).
     *
     * @param newInterest {@link IoEvents#READ} and/or {@link IoEvents#WRITE}, or 0
     */
    public void interest(int newInterest) {
        loop.modifyRegistration(this, IoEvents.checkInterest(newInterest));
    }

    /** Stops watching; the handler is not called again. The descriptor or channel is not closed. Idempotent. */
    public void cancel() {
        loop.cancelRegistration(this);
    }

    /** @return whether the registration is still active */
    public boolean isActive() {
        return active;
    }

    /** Lets the loop exit (with {@code exitWhenIdle}) even while this registration exists. */
    public void unref() {
        loop.refRegistration(this, false);
    }

    /** Undoes {@link #unref()}. */
    public void ref() {
        loop.refRegistration(this, true);
    }

    @Override
    public String toString() {
        return "Registration[" + (channel != null ? channel : "fd " + fd) + ", interest=" + IoEvents.toString(interest)
                + (active ? "" : ", cancelled") + "]";
    }
}

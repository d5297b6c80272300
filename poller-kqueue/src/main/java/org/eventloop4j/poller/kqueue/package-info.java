/**
 * A {@link org.eventloop4j.spi.Poller} over BSD {@code kqueue(2)}/{@code kevent(2)}: level-triggered
 * {@code EVFILT_READ}/{@code EVFILT_WRITE} filters, and an {@code EVFILT_USER} event for cross-thread wakeups.
 *
 * <p>The poller's logic talks to the kernel only through the package-private {@code KqueueNative} interface, so it
 * is tested on any platform against an in-memory fake kernel; the production binding ({@code KqueueSyscalls}) is
 * class-loaded only on a supported platform.
 */
package org.eventloop4j.poller.kqueue;

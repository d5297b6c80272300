/**
 * A {@link org.eventloop4j.spi.Poller} for Windows sockets: one-shot {@code IOCTL_AFD_POLL} requests on
 * {@code \Device\Afd} helper handles, completed on an I/O completion port and re-armed after each report, which
 * gives level-triggered readiness; {@code PostQueuedCompletionStatus} wakes it.
 *
 * <p>The poller's logic talks to Windows only through the package-private {@code IocpNative} interface, so it is
 * tested on any platform against an in-memory fake kernel; the production binding ({@code IocpSyscalls}) is
 * class-loaded only on Windows.
 */
package org.eventloop4j.poller.iocp;

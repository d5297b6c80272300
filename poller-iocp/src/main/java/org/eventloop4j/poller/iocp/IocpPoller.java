package org.eventloop4j.poller.iocp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eventloop4j.IoEvents;
import org.eventloop4j.internal.LongMap;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.ReadySink;

/**
 * A level-triggered {@link Poller} for Windows sockets on an I/O completion port.
 *
 * <h2>Technique (wepoll's, rewritten)</h2>
 * Sockets are spread over AFD helper handles ({@code \Device\Afd\eventloop4j}, opened with {@code NtCreateFile}, at
 * most {@value #MAX_GROUP_SIZE} sockets each) associated with the port under {@link #AFD_COMPLETION_KEY}. For each
 * socket the poller keeps at most one {@code IOCTL_AFD_POLL} request in flight ({@code NtDeviceIoControlFile} with a
 * one-handle {@code AFD_POLL_INFO} naming the socket's base handle and the {@link AfdPoll#afdMask AFD mask} of its
 * interest); the request completes on the port when any watched condition holds. A completion is reported and the
 * socket is queued to be re-armed at the start of the next {@link #poll}; a socket that is still ready completes
 * again at once, which gives level-triggered semantics on top of one-shot polls.
 *
 * <p>Changing the interest queues a re-arm; if a request is in flight and does not watch every bit now wanted, it
 * is cancelled with {@code CancelIoEx} and re-issued when its {@code STATUS_CANCELLED} completion arrives (which is
 * never reported). Unregistering cancels the request; the socket's native block is kept until that completion
 * arrives, since the kernel writes into it. A socket closed by its owner completes with {@code AFD_POLL_LOCAL_CLOSE}
 * and is dropped silently. Wakeup is {@code PostQueuedCompletionStatus} with {@link #WAKEUP_COMPLETION_KEY}, never
 * reported. {@link #awaitReadiness} is not supported: dequeuing from a port consumes the packet, and a port handle
 * is not waitable.
 *
 * <h2>Threading protocol</h2>
 * Socket states, the update queue, the poll groups and the completion-entry buffer belong to the loop thread
 * (register, modify, unregister, poll, close). {@link #wakeup()} may run on any thread: it reads only {@code port}
 * (final) under {@code lifecycle}, and {@link #close()} sets {@code closed} under the same lock before closing the
 * port, so a wakeup never posts to a closed (or reused) handle.
 */
final class IocpPoller implements Poller {

    /** The completion key of every AFD helper handle. */
    static final long AFD_COMPLETION_KEY = 0x41464400L; // "AFD"
    /** The completion key of wakeup packets. */
    static final long WAKEUP_COMPLETION_KEY = 0x57414B45L; // "WAKE"
    /** Sockets per AFD helper handle, as wepoll's {@code POLL_GROUP__MAX_GROUP_SIZE}. */
    static final int MAX_GROUP_SIZE = 32;
    /** Default number of completions dequeued per poll. */
    static final int DEFAULT_ENTRY_CAPACITY = 256;
    /** {@code SIO_BASE_HANDLE} ({@code mswsock.h}; wepoll {@code src/ws.c}). */
    static final int SIO_BASE_HANDLE = 0x48000022;
    private static final short WINSOCK_2_2 = 0x0202;
    private static final int WSADATA_SIZE = 408; // x64 sizeof(WSADATA)

    private enum PollStatus { IDLE, PENDING, CANCELLED }

    /** One AFD helper handle and how many sockets use it. */
    private static final class PollGroup {
        final long afd;
        int size;

        PollGroup(long afd) {
            this.afd = afd;
        }
    }

    /** One registered socket. */
    private static final class SockState {
        final int fd;
        final long baseSocket;
        final PollGroup group;
        final Memory block = new Memory(AfdPoll.BLOCK_SIZE);
        final long blockAddress = Pointer.nativeValue(block);
        int interest;
        long token;
        PollStatus status = PollStatus.IDLE;
        int pendingMask;
        boolean queued;
        boolean deleted;

        SockState(int fd, long baseSocket, PollGroup group) {
            this.fd = fd;
            this.baseSocket = baseSocket;
            this.group = group;
            block.clear();
        }
    }

    private final IocpNative kernel;
    private final long port;
    private final int entryCapacity;
    private final Memory entries;
    private final Memory numRemoved = new Memory(4);
    private final Memory baseSocketOut = new Memory(8);
    private final Memory bytesReturned = new Memory(4);
    private final AfdDeviceOpen deviceOpen = new AfdDeviceOpen();

    private final Map<Integer, SockState> byFd = new HashMap<>();
    /** Completion block address (positive: a user-space pointer) to socket; primitive keys, no boxing. */
    private final LongMap<SockState> byBlock = new LongMap<>();
    /** Descriptors dropped because their owner closed them; a later unregister is then a no-op. */
    private final Set<Integer> closedByOwner = new HashSet<>();
    private final ArrayDeque<SockState> updates = new ArrayDeque<>();
    private final List<PollGroup> groups = new ArrayList<>();

    private final Object lifecycle = new Object();
    /** Written under {@code lifecycle}; read by the loop thread without it. */
    private volatile boolean closed;

    /**
     * Starts Winsock for this poller and creates the completion port.
     *
     * @param kernel the native layer
     * @param entryCapacity how many completions one poll can dequeue
     * @throws IOException if Winsock or the port cannot be set up
     */
    IocpPoller(IocpNative kernel, int entryCapacity) throws IOException {
        if (entryCapacity < 1) {
            throw new IllegalArgumentException("entryCapacity must be positive, got " + entryCapacity);
        }
        this.kernel = kernel;
        this.entryCapacity = entryCapacity;
        try (Memory wsaData = new Memory(WSADATA_SIZE)) {
            int err = kernel.wsaStartup(WINSOCK_2_2, wsaData);
            if (err != 0) {
                throw new IOException("WSAStartup(2.2) failed: error " + err);
            }
        }
        long p = kernel.createIoCompletionPort(IocpNative.INVALID_HANDLE_VALUE, 0, 0, 0);
        if (p == 0) {
            int err = kernel.getLastError();
            kernel.wsaCleanup();
            throw new IOException("CreateIoCompletionPort failed: error " + err);
        }
        this.port = p;
        this.entries = new Memory((long) entryCapacity * OverlappedEntry.SIZE);
    }

    /** The port handle (for tests and diagnostics). */
    long port() {
        return port;
    }

    @Override
    public void register(int fd, int interest, long token) throws IOException {
        IoEvents.checkInterest(interest);
        checkOpen();
        if (byFd.containsKey(fd)) {
            throw new IllegalStateException("socket " + fd + " is already registered with this poller");
        }
        long base = baseSocket(fd);
        PollGroup group = acquireGroup();
        SockState s = new SockState(fd, base, group);
        group.size++;
        s.interest = interest;
        s.token = token;
        byFd.put(fd, s);
        byBlock.put(s.blockAddress, s);
        closedByOwner.remove(fd);
        queueUpdate(s);
    }

    @Override
    public void modify(int fd, int interest, long token) throws IOException {
        IoEvents.checkInterest(interest);
        checkOpen();
        SockState s = require(fd);
        s.interest = interest;
        s.token = token;
        // A request in flight that already watches every wanted bit is kept; a completion for a bit no longer
        // wanted is filtered out and the socket re-armed with the narrower mask.
        if (s.status != PollStatus.PENDING || (AfdPoll.afdMask(interest) & ~s.pendingMask) != 0) {
            queueUpdate(s);
        }
    }

    @Override
    public void unregister(int fd) throws IOException {
        checkOpen();
        SockState s = byFd.remove(fd);
        if (s == null) {
            if (closedByOwner.remove(fd)) {
                return;
            }
            throw new IllegalArgumentException("socket " + fd + " is not registered with this poller");
        }
        s.deleted = true; // also makes a queued update a no-op
        if (s.status == PollStatus.PENDING) {
            cancel(s);
        }
        if (s.status == PollStatus.IDLE) {
            release(s);
        } // else: freed when the cancelled request completes
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        checkOpen();
        int reported = submitUpdates(sink);
        int millis = reported > 0 ? 0 : toMillis(timeoutNanos);
        if (kernel.getQueuedCompletionStatusEx(port, entries, entryCapacity, numRemoved, millis, 0) == 0) {
            int err = kernel.getLastError();
            if (err == IocpNative.WAIT_TIMEOUT) {
                return reported;
            }
            throw new IOException("GetQueuedCompletionStatusEx failed: error " + err);
        }
        int n = numRemoved.getInt(0);
        for (int i = 0; i < n; i++) {
            if (OverlappedEntry.completionKey(entries, i) != AFD_COMPLETION_KEY) {
                continue; // WAKEUP_COMPLETION_KEY: its only job was to end the wait
            }
            SockState s = byBlock.get(OverlappedEntry.overlapped(entries, i));
            if (s != null) {
                reported += complete(s, sink);
            }
        }
        return reported;
    }

    @Override
    public void wakeup() {
        synchronized (lifecycle) {
            if (!closed) {
                kernel.postQueuedCompletionStatus(port, 0, WAKEUP_COMPLETION_KEY, 0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Closing a helper handle cancels its requests; only then may their blocks be dropped.
        int failed = 0;
        for (PollGroup g : groups) {
            if (kernel.closeHandle(g.afd) == 0) {
                failed++;
            }
        }
        groups.clear();
        byFd.clear();
        byBlock.clear();
        updates.clear();
        if (kernel.closeHandle(port) == 0) {
            failed++;
        }
        kernel.wsaCleanup();
        entries.close(); // socket blocks are left to the collector: the kernel finished with them above
        if (failed > 0) {
            throw new IOException("CloseHandle failed for " + failed + " handle(s): error " + kernel.getLastError());
        }
    }

    // ---- request life cycle ----

    private void queueUpdate(SockState s) {
        if (!s.queued) {
            s.queued = true;
            updates.add(s);
        }
    }

    /** Issues, keeps or cancels the request of every socket whose interest or state changed. */
    private int submitUpdates(ReadySink sink) throws IOException {
        int reported = 0;
        SockState s;
        while ((s = updates.poll()) != null) {
            s.queued = false;
            if (s.deleted) {
                continue;
            }
            int mask = AfdPoll.afdMask(s.interest);
            switch (s.status) {
                case PENDING:
                    if ((mask & ~s.pendingMask) != 0) {
                        cancel(s); // re-issued when the cancellation completes
                    }
                    break;
                case CANCELLED:
                    break; // waiting for the cancellation to complete
                case IDLE:
                    reported += submit(s, mask, sink);
                    break;
                default:
                    throw new AssertionError(s.status);
            }
        }
        return reported;
    }

    private int submit(SockState s, int mask, ReadySink sink) {
        AfdPoll.prepare(s.block, s.baseSocket, mask);
        Pointer info = AfdPoll.info(s.block);
        int status = kernel.ntDeviceIoControlFile(s.group.afd, 0, null, s.block, s.block, AfdPoll.IOCTL_AFD_POLL,
                info, AfdPoll.INFO_SIZE, info, AfdPoll.INFO_SIZE);
        if (status == IocpNative.STATUS_SUCCESS || status == IocpNative.STATUS_PENDING) {
            // Either way a completion packet is queued (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is not set).
            s.status = PollStatus.PENDING;
            s.pendingMask = mask;
            return 0;
        }
        if (kernel.rtlNtStatusToDosError(status) == IocpNative.ERROR_INVALID_HANDLE) {
            dropClosedByOwner(s);
            return 0;
        }
        // Refused for another reason: report an error once; the registration stays idle until modified.
        sink.ready(s.token, IoEvents.ERROR);
        return 1;
    }

    private void cancel(SockState s) throws IOException {
        if (AfdPoll.status(s.block) == IocpNative.STATUS_PENDING
                && kernel.cancelIoEx(s.group.afd, s.block) == 0) {
            int err = kernel.getLastError();
            if (err != IocpNative.ERROR_NOT_FOUND) { // NOT_FOUND: it completed meanwhile; its packet is queued
                throw new IOException("CancelIoEx failed for socket " + s.fd + ": error " + err);
            }
        }
        s.status = PollStatus.CANCELLED;
        s.pendingMask = 0;
    }

    /** Handles the completion of a socket's request; returns 1 if it was reported. */
    private int complete(SockState s, ReadySink sink) {
        s.status = PollStatus.IDLE;
        s.pendingMask = 0;
        if (s.deleted) {
            release(s);
            return 0;
        }
        int status = AfdPoll.status(s.block);
        int events = 0;
        if (status == IocpNative.STATUS_CANCELLED) {
            events = 0; // cancelled by us; never reported
        } else if (status < 0) {
            events = IoEvents.ERROR; // the request itself failed (NT error status)
        } else if (AfdPoll.numberOfHandles(s.block) >= 1) {
            int afd = AfdPoll.reportedEvents(s.block);
            if ((afd & AfdPoll.AFD_POLL_LOCAL_CLOSE) != 0) {
                dropClosedByOwner(s);
                return 0;
            }
            events = AfdPoll.toIoEvents(afd & AfdPoll.afdMask(s.interest));
        }
        queueUpdate(s); // re-arm at the start of the next poll
        events &= s.interest | IoEvents.ERROR | IoEvents.HANGUP;
        if (events == 0) {
            return 0;
        }
        sink.ready(s.token, events);
        return 1;
    }

    private void dropClosedByOwner(SockState s) {
        byFd.remove(s.fd);
        closedByOwner.add(s.fd);
        s.deleted = true;
        release(s);
    }

    private void release(SockState s) {
        byBlock.remove(s.blockAddress);
        s.group.size--;
    }

    private PollGroup acquireGroup() throws IOException {
        for (int i = groups.size() - 1; i >= 0; i--) {
            PollGroup g = groups.get(i);
            if (g.size < MAX_GROUP_SIZE) {
                return g;
            }
        }
        PollGroup g = new PollGroup(openAfdHelper());
        groups.add(g);
        return g;
    }

    private long openAfdHelper() throws IOException {
        AfdDeviceOpen a = deviceOpen;
        a.handleOut.setLong(0, 0);
        int status = kernel.ntCreateFile(a.handleOut, AfdDeviceOpen.SYNCHRONIZE, a.objectAttributes,
                a.ioStatusBlock, null, 0, AfdDeviceOpen.FILE_SHARE_READ_WRITE, AfdDeviceOpen.FILE_OPEN, 0, null, 0);
        if (status != IocpNative.STATUS_SUCCESS) {
            throw new IOException("NtCreateFile(" + AfdDeviceOpen.DEVICE_NAME + ") failed: NTSTATUS 0x"
                    + Integer.toHexString(status) + ", error " + kernel.rtlNtStatusToDosError(status));
        }
        long afd = a.handleOut.getLong(0);
        if (kernel.createIoCompletionPort(afd, port, AFD_COMPLETION_KEY, 0) == 0) {
            int err = kernel.getLastError();
            kernel.closeHandle(afd);
            throw new IOException("CreateIoCompletionPort(AFD helper) failed: error " + err);
        }
        if (kernel.setFileCompletionNotificationModes(afd, AfdDeviceOpen.FILE_SKIP_SET_EVENT_ON_HANDLE) == 0) {
            int err = kernel.getLastError();
            kernel.closeHandle(afd);
            throw new IOException("SetFileCompletionNotificationModes(AFD helper) failed: error " + err);
        }
        return afd;
    }

    /** The base service provider's socket under any layered providers, which is what AFD polls. */
    private long baseSocket(int fd) throws IOException {
        long socket = fd & 0xFFFFFFFFL;
        baseSocketOut.setLong(0, 0);
        if (kernel.wsaIoctl(socket, SIO_BASE_HANDLE, null, 0, baseSocketOut, 8, bytesReturned, null, null)
                == IocpNative.SOCKET_ERROR) {
            int err = kernel.getLastError();
            throw new IOException("socket " + fd + " cannot be registered: WSAIoctl(SIO_BASE_HANDLE) failed with"
                    + " error " + err + (err == IocpNative.WSAENOTSOCK ? " (WSAENOTSOCK: not an open socket)" : ""));
        }
        return baseSocketOut.getLong(0);
    }

    private SockState require(int fd) {
        SockState s = byFd.get(fd);
        if (s == null) {
            throw new IllegalArgumentException("socket " + fd + " is not registered with this poller"
                    + (closedByOwner.contains(fd) ? " (it was closed by its owner)" : ""));
        }
        return s;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("IOCP poller is closed");
        }
    }

    /** Milliseconds for {@code GetQueuedCompletionStatusEx}: negative is {@code INFINITE}, else rounded up. */
    static int toMillis(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return IocpNative.INFINITE;
        }
        long millis = timeoutNanos / 1_000_000L + (timeoutNanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /** For tests: how many AFD helper handles are open. */
    int groupCount() {
        return groups.size();
    }
}

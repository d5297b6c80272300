package org.eventloop4j.poller.iocp;

import com.sun.jna.Pointer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory model of the Windows pieces the IOCP poller uses: one completion port (a packet queue whose
 * {@code GetQueuedCompletionStatusEx} really blocks), AFD helper handles that accept {@code IOCTL_AFD_POLL}
 * requests decoded from the caller's {@code AFD_POLL_INFO}, and sockets a test marks ready or closes. A request
 * completes when its socket has a watched condition: the kernel writes the reported bits into the caller's
 * {@code AFD_POLL_INFO}, the status into its {@code IO_STATUS_BLOCK}, and queues a packet with the helper's key and
 * the request's {@code ApcContext}. {@code CancelIoEx} completes a pending request with {@code STATUS_CANCELLED}, as
 * Windows does. Results are written with the real x64 layouts.
 */
final class FakeWindowsKernel implements IocpNative {

    /** One decoded {@code IOCTL_AFD_POLL} request. */
    record Submitted(long afd, long socket, int mask, long timeout, int numberOfHandles, int exclusive) {
    }

    private record Packet(long key, long overlapped, long internal, int bytes) {
    }

    private static final class Request {
        final long afd;
        final Pointer iosb;
        final Pointer info;
        final long apcContext;
        final long socket;
        final int mask;

        Request(long afd, Pointer iosb, Pointer info, long apcContext, long socket, int mask) {
            this.afd = afd;
            this.iosb = iosb;
            this.info = info;
            this.apcContext = apcContext;
            this.socket = socket;
            this.mask = mask;
        }
    }

    private static final class Socket {
        final long base;
        int ready;
        boolean closed;

        Socket(long base) {
            this.base = base;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);

    private long nextHandle = 0x1000;
    private long port;
    private boolean portClosed;
    private final Map<Long, Long> afdKeys = new HashMap<>();
    private final Map<Long, Byte> notificationModes = new HashMap<>();
    private final Set<Long> closedHandles = new HashSet<>();
    private final Map<Integer, Socket> sockets = new HashMap<>();
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private final List<Request> pending = new ArrayList<>();
    private final List<Submitted> submitted = new ArrayList<>();
    private final List<Long> cancels = new ArrayList<>();
    private final List<Integer> waitMillis = new ArrayList<>();
    private final List<String> openedNames = new ArrayList<>();
    private final List<Long> posted = new ArrayList<>();
    private int winsockStarted;
    private int waiters;
    private int failNextWaitWith;

    // ---- test controls ----

    /** Creates a socket handle {@code fd} whose base socket is a different value. */
    long socket(int fd) {
        return locked(() -> {
            long base = 0x70000L + fd * 4L;
            sockets.put(fd, new Socket(base));
            return base;
        });
    }

    /** Sets the socket's current {@code AFD_POLL_*} conditions and completes requests that watch one of them. */
    void setReady(int fd, int afdEvents) {
        update(() -> {
            Socket s = sockets.get(fd);
            s.ready = afdEvents;
            completeMatching(s);
        });
    }

    /** The owner closes the socket: requests on it complete with {@code AFD_POLL_LOCAL_CLOSE}. */
    void closeSocket(int fd) {
        update(() -> {
            Socket s = sockets.get(fd);
            s.closed = true;
            s.ready = AfdPoll.AFD_POLL_LOCAL_CLOSE;
            completeMatching(s);
        });
    }

    /** Completes the pending request on the socket with an NT error status. */
    void failPending(int fd, int ntStatus) {
        update(() -> {
            long base = sockets.get(fd).base;
            for (Iterator<Request> it = pending.iterator(); it.hasNext();) {
                Request r = it.next();
                if (r.socket == base) {
                    it.remove();
                    r.iosb.setLong(AfdPoll.IOSB_STATUS, ntStatus & 0xFFFFFFFFL);
                    queue.add(new Packet(afdKeys.get(r.afd), r.apcContext, ntStatus & 0xFFFFFFFFL, 0));
                }
            }
        });
    }

    void failNextWait(int error) {
        update(() -> failNextWaitWith = error);
    }

    List<Submitted> submitted() {
        return locked(() -> List.copyOf(submitted));
    }

    Submitted lastSubmitted() {
        return locked(() -> submitted.get(submitted.size() - 1));
    }

    List<Long> cancels() {
        return locked(() -> List.copyOf(cancels));
    }

    int pendingRequests() {
        return locked(pending::size);
    }

    List<Integer> waitMillis() {
        return locked(() -> List.copyOf(waitMillis));
    }

    List<String> openedNames() {
        return locked(() -> List.copyOf(openedNames));
    }

    List<Long> postedKeys() {
        return locked(() -> List.copyOf(posted));
    }

    Map<Long, Long> afdKeys() {
        return locked(() -> Map.copyOf(afdKeys));
    }

    Map<Long, Byte> notificationModes() {
        return locked(() -> Map.copyOf(notificationModes));
    }

    Set<Long> closedHandles() {
        return locked(() -> Set.copyOf(closedHandles));
    }

    long portHandle() {
        return locked(() -> port);
    }

    int winsockStarted() {
        return locked(() -> winsockStarted);
    }

    boolean awaitWaiter(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (waiters == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- IocpNative ----

    @Override
    public long createIoCompletionPort(long fileHandle, long existingPort, long completionKey, int threads) {
        return locked(() -> {
            if (fileHandle == INVALID_HANDLE_VALUE) {
                if (port != 0) {
                    throw new AssertionError("a second port was created");
                }
                port = nextHandle += 4;
                return port;
            }
            if (existingPort != port || !afdKeys.containsKey(fileHandle) || afdKeys.get(fileHandle) != -1L) {
                lastError.set(ERROR_INVALID_HANDLE);
                return 0L;
            }
            afdKeys.put(fileHandle, completionKey);
            return port;
        });
    }

    @Override
    public int getQueuedCompletionStatusEx(long portHandle, Pointer entries, int count, Pointer numRemoved,
            int millis, int alertable) {
        lock.lock();
        try {
            if (portHandle != port || portClosed) {
                lastError.set(ERROR_INVALID_HANDLE);
                return 0;
            }
            waitMillis.add(millis);
            if (failNextWaitWith != 0) {
                lastError.set(failNextWaitWith);
                failNextWaitWith = 0;
                return 0;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
            waiters++;
            changed.signalAll();
            try {
                while (queue.isEmpty()) {
                    if (millis == INFINITE) {
                        changed.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            lastError.set(WAIT_TIMEOUT);
                            return 0;
                        }
                        changed.awaitNanos(left);
                    }
                }
            } finally {
                waiters--;
            }
            int n = 0;
            while (n < count && !queue.isEmpty()) {
                Packet p = queue.poll();
                OverlappedEntry.put(entries, n++, p.key, p.overlapped, p.internal, p.bytes);
            }
            numRemoved.setInt(0, n);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastError.set(WAIT_TIMEOUT);
            return 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int postQueuedCompletionStatus(long portHandle, int bytes, long key, long overlapped) {
        return locked(() -> {
            if (portHandle != port || portClosed) {
                lastError.set(ERROR_INVALID_HANDLE);
                return 0;
            }
            posted.add(key);
            queue.add(new Packet(key, overlapped, 0, bytes));
            changed.signalAll();
            return 1;
        });
    }

    @Override
    public int cancelIoEx(long handle, Pointer overlapped) {
        return locked(() -> {
            cancels.add(Pointer.nativeValue(overlapped));
            for (Iterator<Request> it = pending.iterator(); it.hasNext();) {
                Request r = it.next();
                if (r.afd == handle && Pointer.nativeValue(r.iosb) == Pointer.nativeValue(overlapped)) {
                    it.remove();
                    cancelled(r);
                    return 1;
                }
            }
            lastError.set(ERROR_NOT_FOUND);
            return 0;
        });
    }

    @Override
    public int closeHandle(long handle) {
        return locked(() -> {
            if (!closedHandles.add(handle)) {
                lastError.set(ERROR_INVALID_HANDLE);
                return 0;
            }
            if (handle == port) {
                portClosed = true;
            } else {
                for (Iterator<Request> it = pending.iterator(); it.hasNext();) {
                    Request r = it.next();
                    if (r.afd == handle) {
                        it.remove();
                        cancelled(r);
                    }
                }
            }
            changed.signalAll();
            return 1;
        });
    }

    @Override
    public int setFileCompletionNotificationModes(long handle, byte flags) {
        return locked(() -> {
            notificationModes.put(handle, flags);
            return 1;
        });
    }

    @Override
    public int getLastError() {
        return lastError.get();
    }

    @Override
    public int ntCreateFile(Pointer handleOut, int access, Pointer objectAttributes, Pointer iosb,
            Pointer allocationSize, int fileAttributes, int shareAccess, int disposition, int options,
            Pointer eaBuffer, int eaLength) {
        return locked(() -> {
            if (objectAttributes.getInt(0) != AfdDeviceOpen.OBJECT_ATTRIBUTES_SIZE
                    || access != AfdDeviceOpen.SYNCHRONIZE || shareAccess != 3
                    || disposition != AfdDeviceOpen.FILE_OPEN || eaBuffer != null) {
                return 0xC000000D; // STATUS_INVALID_PARAMETER
            }
            String name = AfdDeviceOpen.objectName(objectAttributes);
            openedNames.add(name);
            if (!name.startsWith("\\Device\\Afd\\")) {
                return 0xC0000034; // STATUS_OBJECT_NAME_NOT_FOUND
            }
            long h = nextHandle += 4;
            afdKeys.put(h, -1L); // not yet associated with the port
            handleOut.setLong(0, h);
            return STATUS_SUCCESS;
        });
    }

    @Override
    public int ntDeviceIoControlFile(long fileHandle, long event, Pointer apcRoutine, Pointer apcContext,
            Pointer ioStatusBlock, int code, Pointer in, int inLength, Pointer out, int outLength) {
        return locked(() -> {
            if (code != AfdPoll.IOCTL_AFD_POLL || inLength != AfdPoll.INFO_SIZE || outLength != AfdPoll.INFO_SIZE
                    || Pointer.nativeValue(in) != Pointer.nativeValue(out) || event != 0 || apcRoutine != null) {
                return 0xC000000D;
            }
            if (!afdKeys.containsKey(fileHandle) || closedHandles.contains(fileHandle)) {
                return STATUS_INVALID_HANDLE;
            }
            if (ioStatusBlock.getInt(0) != STATUS_PENDING) {
                throw new AssertionError("the caller must mark the IO_STATUS_BLOCK pending before the call");
            }
            // AFD_POLL_INFO, decoded with the x64 layout relative to the input buffer
            long timeout = in.getLong(0);
            int handles = in.getInt(8);
            int exclusive = in.getInt(12);
            long socket = in.getLong(16);
            int mask = in.getInt(24);
            submitted.add(new Submitted(fileHandle, socket, mask, timeout, handles, exclusive));
            Socket s = sockets.values().stream().filter(x -> x.base == socket).findFirst().orElse(null);
            if (s == null || s.closed) {
                return STATUS_INVALID_HANDLE;
            }
            for (Request r : pending) {
                if (Pointer.nativeValue(r.iosb) == Pointer.nativeValue(ioStatusBlock)) {
                    throw new AssertionError("a second request was issued on a block still in use by the kernel");
                }
            }
            Request r = new Request(fileHandle, ioStatusBlock, out, Pointer.nativeValue(apcContext), socket, mask);
            pending.add(r);
            completeMatching(s);
            return STATUS_PENDING;
        });
    }

    @Override
    public int rtlNtStatusToDosError(int status) {
        if (status == STATUS_INVALID_HANDLE) {
            return ERROR_INVALID_HANDLE;
        }
        if (status == STATUS_CANCELLED) {
            return 995; // ERROR_OPERATION_ABORTED
        }
        return 317; // ERROR_MR_MID_NOT_FOUND, what Windows answers for an unmapped status
    }

    @Override
    public int wsaStartup(short version, Pointer wsaData) {
        return locked(() -> {
            if (version != 0x0202) {
                return 10092; // WSAVERNOTSUPPORTED
            }
            winsockStarted++;
            return 0;
        });
    }

    @Override
    public int wsaCleanup() {
        return locked(() -> {
            winsockStarted--;
            return 0;
        });
    }

    @Override
    public int wsaIoctl(long socket, int code, Pointer in, int inLength, Pointer out, int outLength,
            Pointer bytesReturned, Pointer overlapped, Pointer completion) {
        return locked(() -> {
            Socket s = socket <= Integer.MAX_VALUE ? sockets.get((int) socket) : null;
            if (code != IocpPoller.SIO_BASE_HANDLE || outLength != 8 || s == null || s.closed) {
                lastError.set(WSAENOTSOCK);
                return SOCKET_ERROR;
            }
            out.setLong(0, s.base);
            bytesReturned.setInt(0, 8);
            return 0;
        });
    }

    // ---- model ----

    private void completeMatching(Socket s) {
        for (Iterator<Request> it = pending.iterator(); it.hasNext();) {
            Request r = it.next();
            int hit = r.socket == s.base ? s.ready & r.mask : 0;
            if (hit != 0) {
                it.remove();
                r.info.setInt(8, 1); // NumberOfHandles
                r.info.setInt(24, hit); // Handles[0].Events
                r.info.setInt(28, 0); // Handles[0].Status
                r.iosb.setLong(AfdPoll.IOSB_STATUS, STATUS_SUCCESS);
                r.iosb.setLong(AfdPoll.IOSB_INFORMATION, AfdPoll.INFO_SIZE);
                queue.add(new Packet(afdKeys.get(r.afd), r.apcContext, STATUS_SUCCESS, AfdPoll.INFO_SIZE));
            }
        }
        changed.signalAll();
    }

    private void cancelled(Request r) {
        r.iosb.setLong(AfdPoll.IOSB_STATUS, STATUS_CANCELLED & 0xFFFFFFFFL);
        r.iosb.setLong(AfdPoll.IOSB_INFORMATION, 0);
        queue.add(new Packet(afdKeys.get(r.afd), r.apcContext, STATUS_CANCELLED & 0xFFFFFFFFL, 0));
        changed.signalAll();
    }

    private void update(Runnable r) {
        lock.lock();
        try {
            r.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }
}

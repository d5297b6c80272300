package org.eventloop4j.poller.iocp;

import com.sun.jna.Pointer;
import org.eventloop4j.IoEvents;

/**
 * {@code IOCTL_AFD_POLL}: its constants, the native request block of one socket, and the mapping between
 * {@link IoEvents} and {@code AFD_POLL_*} bits.
 *
 * <p>Sources (read for this code; the code is our own): piscisaureus/wepoll {@code src/afd.h} and {@code src/afd.c}
 * ({@code IOCTL_AFD_POLL 0x00012024}, the {@code AFD_POLL_*} bits, {@code AFD_POLL_INFO}), {@code src/sock.c} (the
 * epoll&lt;-&gt;AFD mapping, re-arming, cancellation), {@code src/poll-group.c} (32 sockets per helper handle);
 * tokio-rs/mio {@code src/sys/windows/afd.rs} (same values, {@code POLL_CONNECT} deliberately unused).
 *
 * <h2>Request block (x64), one per registered socket, 48 bytes</h2>
 * <pre>
 * offset  size  field
 *      0     8  IO_STATUS_BLOCK.Status (NTSTATUS, in a union with a PVOID)
 *      8     8  IO_STATUS_BLOCK.Information (ULONG_PTR)
 *     16     8  AFD_POLL_INFO.Timeout (LARGE_INTEGER): INT64_MAX, never time out
 *     24     4  AFD_POLL_INFO.NumberOfHandles: 1 in, 0 or 1 out
 *     28     4  AFD_POLL_INFO.Exclusive: FALSE, as wepoll
 *     32     8  AFD_POLL_INFO.Handles[0].Handle: the base socket
 *     40     4  AFD_POLL_INFO.Handles[0].Events: AFD_POLL_* mask in, the reported bits out
 *     44     4  AFD_POLL_INFO.Handles[0].Status (NTSTATUS)
 * </pre>
 * The {@code IO_STATUS_BLOCK} doubles as the {@code ApcContext} of the request, so the completion packet's
 * {@code lpOverlapped} is its address (wepoll passes its {@code OVERLAPPED}, whose first two fields have the same
 * layout).
 */
final class AfdPoll {

    static final int IOCTL_AFD_POLL = 0x00012024;

    static final int AFD_POLL_RECEIVE = 0x0001;
    static final int AFD_POLL_RECEIVE_EXPEDITED = 0x0002;
    static final int AFD_POLL_SEND = 0x0004;
    static final int AFD_POLL_DISCONNECT = 0x0008;
    static final int AFD_POLL_ABORT = 0x0010;
    static final int AFD_POLL_LOCAL_CLOSE = 0x0020;
    static final int AFD_POLL_ACCEPT = 0x0080;
    static final int AFD_POLL_CONNECT_FAIL = 0x0100;

    static final int BLOCK_SIZE = 48;
    static final int IOSB_STATUS = 0;
    static final int IOSB_INFORMATION = 8;
    static final int INFO = 16;
    static final int INFO_SIZE = 32;
    static final int INFO_TIMEOUT = INFO;
    static final int INFO_NUMBER_OF_HANDLES = INFO + 8;
    static final int INFO_EXCLUSIVE = INFO + 12;
    static final int INFO_HANDLE = INFO + 16;
    static final int INFO_EVENTS = INFO + 24;
    static final int INFO_STATUS = INFO + 28;

    /** Always watched: a closed socket, a reset connection, a failed connect (errors and hangups are unmasked). */
    static final int ALWAYS = AFD_POLL_LOCAL_CLOSE | AFD_POLL_ABORT | AFD_POLL_CONNECT_FAIL;

    private AfdPoll() {
    }

    /**
     * The {@code AFD_POLL_*} mask for an interest set, as wepoll maps {@code EPOLLIN}/{@code EPOLLOUT} plus the
     * always-on {@code EPOLLERR|EPOLLHUP}: READ watches data, pending connections and a graceful close by the peer;
     * WRITE watches send space.
     */
    static int afdMask(int interest) {
        int mask = ALWAYS;
        if ((interest & IoEvents.READ) != 0) {
            mask |= AFD_POLL_RECEIVE | AFD_POLL_ACCEPT | AFD_POLL_DISCONNECT;
        }
        if ((interest & IoEvents.WRITE) != 0) {
            mask |= AFD_POLL_SEND;
        }
        return mask;
    }

    /**
     * Reported {@code AFD_POLL_*} bits to {@link IoEvents}: RECEIVE/ACCEPT to READ, SEND to WRITE, DISCONNECT (the
     * peer's FIN: a read returns end of stream) to READ|HANGUP, ABORT (reset) to HANGUP, CONNECT_FAIL to
     * ERROR|READ|WRITE (Linux reports all of them after a failed connect, and wepoll does the same).
     * {@code AFD_POLL_LOCAL_CLOSE} is handled by the caller.
     */
    static int toIoEvents(int afdEvents) {
        int events = 0;
        if ((afdEvents & (AFD_POLL_RECEIVE | AFD_POLL_ACCEPT)) != 0) {
            events |= IoEvents.READ;
        }
        if ((afdEvents & AFD_POLL_SEND) != 0) {
            events |= IoEvents.WRITE;
        }
        if ((afdEvents & AFD_POLL_DISCONNECT) != 0) {
            events |= IoEvents.READ | IoEvents.HANGUP;
        }
        if ((afdEvents & AFD_POLL_ABORT) != 0) {
            events |= IoEvents.HANGUP;
        }
        if ((afdEvents & AFD_POLL_CONNECT_FAIL) != 0) {
            events |= IoEvents.ERROR | IoEvents.READ | IoEvents.WRITE;
        }
        return events;
    }

    /** Fills a request block for one socket and marks its status block pending. */
    static void prepare(Pointer block, long baseSocket, int afdMask) {
        block.setLong(IOSB_STATUS, IocpNative.STATUS_PENDING);
        block.setLong(IOSB_INFORMATION, 0);
        block.setLong(INFO_TIMEOUT, Long.MAX_VALUE);
        block.setInt(INFO_NUMBER_OF_HANDLES, 1);
        block.setInt(INFO_EXCLUSIVE, 0);
        block.setLong(INFO_HANDLE, baseSocket);
        block.setInt(INFO_EVENTS, afdMask);
        block.setInt(INFO_STATUS, 0);
    }

    /** The NTSTATUS the request completed with (the low 32 bits of the union). */
    static int status(Pointer block) {
        return block.getInt(IOSB_STATUS);
    }

    static int numberOfHandles(Pointer block) {
        return block.getInt(INFO_NUMBER_OF_HANDLES);
    }

    static int reportedEvents(Pointer block) {
        return block.getInt(INFO_EVENTS);
    }

    /** The {@code AFD_POLL_INFO} part of a block, passed as the ioctl's input and output buffer. */
    static Pointer info(Pointer block) {
        return block.share(INFO, INFO_SIZE);
    }
}

package org.eventloop4j.poller.iocp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_ABORT;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_ACCEPT;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_CONNECT_FAIL;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_DISCONNECT;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_LOCAL_CLOSE;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_RECEIVE;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_RECEIVE_EXPEDITED;
import static org.eventloop4j.poller.iocp.AfdPoll.AFD_POLL_SEND;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.eventloop4j.IoEvents;
import org.junit.jupiter.api.Test;

class IocpLayoutTest {

    @Test
    void overlappedEntryIs32BytesWithTheX64Offsets() {
        try (Memory m = new Memory(64)) {
            m.setMemory(0, 64, (byte) 0x5A);
            OverlappedEntry.put(m, 1, 0x1111L, 0x2222_3333_4444L, 0xC0000120L, 48);
            assertThat(m.getLong(32)).isEqualTo(0x1111L);
            assertThat(m.getLong(40)).isEqualTo(0x2222_3333_4444L);
            assertThat(m.getLong(48)).isEqualTo(0xC0000120L);
            assertThat(m.getInt(56)).isEqualTo(48);
            assertThat(m.getInt(60)).isZero();
            assertThat(m.getByte(31)).isEqualTo((byte) 0x5A); // entry 0 untouched
            assertThat(OverlappedEntry.completionKey(m, 1)).isEqualTo(0x1111L);
            assertThat(OverlappedEntry.overlapped(m, 1)).isEqualTo(0x2222_3333_4444L);
            assertThat(OverlappedEntry.internal(m, 1)).isEqualTo(0xC0000120L);
            assertThat(OverlappedEntry.bytesTransferred(m, 1)).isEqualTo(48);
        }
    }

    @Test
    void afdPollRequestBlockLayout() {
        try (Memory m = new Memory(AfdPoll.BLOCK_SIZE)) {
            m.setMemory(0, AfdPoll.BLOCK_SIZE, (byte) 0x77);
            AfdPoll.prepare(m, 0x1234_5678_9AL, 0x1A9);
            assertThat(m.getLong(0)).isEqualTo(0x103); // IO_STATUS_BLOCK.Status = STATUS_PENDING
            assertThat(m.getLong(8)).isZero(); // Information
            assertThat(m.getLong(16)).isEqualTo(Long.MAX_VALUE); // Timeout
            assertThat(m.getInt(24)).isEqualTo(1); // NumberOfHandles
            assertThat(m.getInt(28)).isZero(); // Exclusive
            assertThat(m.getLong(32)).isEqualTo(0x1234_5678_9AL); // Handles[0].Handle
            assertThat(m.getInt(40)).isEqualTo(0x1A9); // Handles[0].Events
            assertThat(m.getInt(44)).isZero(); // Handles[0].Status
            Pointer info = AfdPoll.info(m);
            assertThat(Pointer.nativeValue(info) - Pointer.nativeValue(m)).isEqualTo(16);
            assertThat(AfdPoll.INFO_SIZE).isEqualTo(32);
            m.setInt(0, 0xC0000120);
            assertThat(AfdPoll.status(m)).isEqualTo(IocpNative.STATUS_CANCELLED);
        }
    }

    @Test
    void objectAttributesForTheAfdDevice() {
        AfdDeviceOpen a = new AfdDeviceOpen();
        assertThat(a.objectAttributes.getInt(0)).isEqualTo(48);
        assertThat(a.objectAttributes.getLong(8)).isZero(); // RootDirectory
        assertThat(Pointer.nativeValue(a.objectAttributes.getPointer(16))).isEqualTo(Pointer.nativeValue(a.unicodeString));
        assertThat(a.objectAttributes.getInt(24)).isZero(); // Attributes
        int bytes = AfdDeviceOpen.DEVICE_NAME.length() * 2;
        assertThat(a.unicodeString.getShort(0)).isEqualTo((short) bytes);
        assertThat(a.unicodeString.getShort(2)).isEqualTo((short) bytes);
        assertThat(AfdDeviceOpen.objectName(a.objectAttributes)).isEqualTo("\\Device\\Afd\\eventloop4j");
    }

    @Test
    void interestToAfdMask() {
        int always = AFD_POLL_LOCAL_CLOSE | AFD_POLL_ABORT | AFD_POLL_CONNECT_FAIL;
        assertThat(AfdPoll.afdMask(0)).isEqualTo(always);
        assertThat(AfdPoll.afdMask(IoEvents.READ))
                .isEqualTo(always | AFD_POLL_RECEIVE | AFD_POLL_ACCEPT | AFD_POLL_DISCONNECT);
        assertThat(AfdPoll.afdMask(IoEvents.WRITE)).isEqualTo(always | AFD_POLL_SEND);
        assertThat(AfdPoll.afdMask(IoEvents.READ | IoEvents.WRITE) & AFD_POLL_RECEIVE_EXPEDITED).isZero();
        // the constants themselves, as in wepoll src/afd.h and mio src/sys/windows/afd.rs
        assertThat(new int[] {AFD_POLL_RECEIVE, AFD_POLL_RECEIVE_EXPEDITED, AFD_POLL_SEND, AFD_POLL_DISCONNECT,
            AFD_POLL_ABORT, AFD_POLL_LOCAL_CLOSE, AFD_POLL_ACCEPT, AFD_POLL_CONNECT_FAIL})
                .containsExactly(0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x80, 0x100);
        assertThat(AfdPoll.IOCTL_AFD_POLL).isEqualTo(0x12024);
    }

    @Test
    void afdEventsToReadySets() {
        assertThat(AfdPoll.toIoEvents(AFD_POLL_RECEIVE)).isEqualTo(IoEvents.READ);
        assertThat(AfdPoll.toIoEvents(AFD_POLL_ACCEPT)).isEqualTo(IoEvents.READ);
        assertThat(AfdPoll.toIoEvents(AFD_POLL_SEND)).isEqualTo(IoEvents.WRITE);
        assertThat(AfdPoll.toIoEvents(AFD_POLL_DISCONNECT)).isEqualTo(IoEvents.READ | IoEvents.HANGUP);
        assertThat(AfdPoll.toIoEvents(AFD_POLL_ABORT)).isEqualTo(IoEvents.HANGUP);
        assertThat(AfdPoll.toIoEvents(AFD_POLL_CONNECT_FAIL))
                .isEqualTo(IoEvents.ERROR | IoEvents.READ | IoEvents.WRITE);
        assertThat(AfdPoll.toIoEvents(0)).isZero();
    }
}

package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Both {@code struct epoll_event} layouts, checked byte by byte on any machine. */
class EpollEventLayoutTest {

    @Test
    void x86UsesThePacked12ByteLayoutAndEverythingElseThe16ByteOne() {
        assertThat(EpollEventLayout.forArch("x86-64")).isSameAs(EpollEventLayout.PACKED);
        assertThat(EpollEventLayout.forArch("x86")).isSameAs(EpollEventLayout.PACKED);
        assertThat(EpollEventLayout.forArch("aarch64")).isSameAs(EpollEventLayout.NATURAL);
        assertThat(EpollEventLayout.forArch("riscv64")).isSameAs(EpollEventLayout.NATURAL);
        assertThat(EpollEventLayout.forArch("ppc64le")).isSameAs(EpollEventLayout.NATURAL);
        assertThat(EpollEventLayout.PACKED.stride()).isEqualTo(12);
        assertThat(EpollEventLayout.PACKED.dataOffset()).isEqualTo(4);
        assertThat(EpollEventLayout.NATURAL.stride()).isEqualTo(16);
        assertThat(EpollEventLayout.NATURAL.dataOffset()).isEqualTo(8);
    }

    @Test
    void thisMachineIsX8664SoTheKernelIsCheckedAgainstThePackedLayout() {
        // EpollPollerTest exercises the real kernel with this layout (tokens keep all 64 bits there).
        assertThat(Platform.ARCH).isEqualTo("x86-64");
        assertThat(EpollEventLayout.forArch(Platform.ARCH)).isSameAs(EpollEventLayout.PACKED);
    }

    @Test
    void packedEventsAreEncodedAt12ByteStridesWithDataAtOffset4() {
        checkEncoding(EpollEventLayout.PACKED, 12, 4);
    }

    @Test
    void naturalEventsAreEncodedAt16ByteStridesWithDataAtOffset8() {
        checkEncoding(EpollEventLayout.NATURAL, 16, 8);
    }

    private static void checkEncoding(EpollEventLayout layout, int stride, int dataOffset) {
        int count = 4;
        Memory memory = new Memory((long) stride * count);
        memory.clear();
        ByteBuffer view = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
        long[] data = {0x0102_0304_0506_0708L, -1L, Long.MIN_VALUE + 1, 0L};
        int[] events = {0x2001, 0x4, 0x18, 0};
        for (int i = 0; i < count; i++) {
            layout.put(view, i, events[i], data[i]);
        }
        for (int i = 0; i < count; i++) {
            // The raw bytes sit where the C compiler puts them (read through JNA, not the view).
            assertThat(memory.getInt((long) i * stride)).isEqualTo(events[i]);
            assertThat(memory.getLong((long) i * stride + dataOffset)).isEqualTo(data[i]);
            // And the accessors read them back.
            assertThat(layout.events(view, i)).isEqualTo(events[i]);
            assertThat(layout.data(view, i)).isEqualTo(data[i]);
        }
        // Little-endian byte check of the first data field: 08 07 ... 01 right after the events word (+padding).
        byte[] raw = memory.getByteArray(dataOffset, 8);
        assertThat(raw).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        if (dataOffset == 8) {
            assertThat(memory.getInt(4)).as("padding stays untouched").isZero();
        }
        assertThat(layout.toString()).contains("stride=" + stride).contains("data@" + dataOffset);
    }
}

package org.eventloop4j.poller.kqueue;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

class KeventLayoutTest {

    @Test
    void compactLayoutIs32BytesWithTheDocumentedOffsets() {
        KeventLayout l = KeventLayout.COMPACT;
        assertThat(l.size()).isEqualTo(32);
        try (Memory m = new Memory(64)) {
            m.clear();
            l.put(m, 1, 0x1122334455667788L, -10, 0x8001, 0x01000000, -3L, 0xCAFEBABE12345678L);
            // entry 1 starts at byte 32; raw reads check each field's offset and width
            assertThat(m.getLong(32)).isEqualTo(0x1122334455667788L);
            assertThat(m.getShort(40)).isEqualTo((short) -10);
            assertThat(m.getShort(42)).isEqualTo((short) 0x8001);
            assertThat(m.getInt(44)).isEqualTo(0x01000000);
            assertThat(m.getLong(48)).isEqualTo(-3L);
            assertThat(m.getLong(56)).isEqualTo(0xCAFEBABE12345678L);
            assertThat(m.getLong(0)).isZero(); // entry 0 untouched
            // decoding: filter sign-extended, flags unsigned
            assertThat(l.ident(m, 1)).isEqualTo(0x1122334455667788L);
            assertThat(l.filter(m, 1)).isEqualTo(-10);
            assertThat(l.flags(m, 1)).isEqualTo(0x8001);
            assertThat(l.fflags(m, 1)).isEqualTo(0x01000000);
            assertThat(l.data(m, 1)).isEqualTo(-3L);
            assertThat(l.udata(m, 1)).isEqualTo(0xCAFEBABE12345678L);
        }
    }

    @Test
    void extendedLayoutIs64BytesAndZeroesTheExtensionWords() {
        KeventLayout l = KeventLayout.EXTENDED;
        assertThat(l.size()).isEqualTo(64);
        try (Memory m = new Memory(128)) {
            m.setMemory(0, 128, (byte) 0xFF);
            l.put(m, 1, 9, -11, 0x4000 | 0x8000, 7, Long.MIN_VALUE, 42);
            assertThat(m.getLong(64)).isEqualTo(9);
            assertThat(m.getShort(72)).isEqualTo((short) -11);
            assertThat(m.getShort(74) & 0xFFFF).isEqualTo(0xC000);
            assertThat(m.getInt(76)).isEqualTo(7);
            assertThat(m.getLong(80)).isEqualTo(Long.MIN_VALUE); // int64_t data
            assertThat(m.getLong(88)).isEqualTo(42);
            for (int off = 96; off < 128; off += 8) {
                assertThat(m.getLong(off)).as("ext word at %d", off).isZero();
            }
            assertThat(m.getByte(63)).isEqualTo((byte) 0xFF); // entry 0 untouched
            assertThat(l.flags(m, 1)).isEqualTo(0xC000);
            assertThat(l.filter(m, 1)).isEqualTo(-11);
        }
    }
}

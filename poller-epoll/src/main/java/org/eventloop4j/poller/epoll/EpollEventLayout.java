package org.eventloop4j.poller.epoll;

import java.nio.ByteBuffer;

/**
 * Where the fields of {@code struct epoll_event} lie in memory, which depends on the architecture.
 *
 * <pre>
 * struct epoll_event { uint32_t events; epoll_data_t data; } EPOLL_PACKED;   // data is a 64-bit union
 * </pre>
 *
 * <p>The kernel's {@code uapi/linux/eventpoll.h} defines {@code EPOLL_PACKED} as {@code __attribute__((packed))}
 * only on x86-64, so that the 64-bit kernel shares the i386 layout, where a {@code uint64_t} inside a struct is
 * 4-byte aligned anyway. On x86 of both widths the struct is therefore 12 bytes with {@code data} at offset 4; on
 * every other architecture it is 16 bytes with {@code data} at offset 8 (natural alignment). Getting this wrong
 * reads garbage tokens, as NuProcess found on ARM64; hence a small class whose two strides are both unit-tested
 * on any machine.
 *
 * <p>The accessors work on a {@link ByteBuffer} in native byte order that views the native array (JNA's
 * {@code Memory.getByteBuffer}): its absolute {@code getInt}/{@code getLong} are JIT intrinsics, where
 * {@code Pointer.getInt} would be one JNI call per field, two per reported descriptor.
 *
 * <p>Instances are immutable and stateless beyond the two numbers, so they are safe to share between threads.
 */
final class EpollEventLayout {
    /** The layout on x86-64 and i386: 12 bytes, {@code data} at offset 4. */
    static final EpollEventLayout PACKED = new EpollEventLayout(12, 4);
    /** The layout everywhere else: 16 bytes, {@code data} at offset 8. */
    static final EpollEventLayout NATURAL = new EpollEventLayout(16, 8);

    private static final int EVENTS_OFFSET = 0;

    private final int stride;
    private final int dataOffset;

    private EpollEventLayout(int stride, int dataOffset) {
        this.stride = stride;
        this.dataOffset = dataOffset;
    }

    /**
     * The layout for an architecture.
     *
     * @param jnaArch an architecture name as {@code com.sun.jna.Platform.ARCH} spells it (for example
     *                {@code "x86-64"}, {@code "aarch64"})
     * @return {@link #PACKED} for {@code x86-64} and {@code x86}, else {@link #NATURAL}
     */
    static EpollEventLayout forArch(String jnaArch) {
        return "x86-64".equals(jnaArch) || "x86".equals(jnaArch) ? PACKED : NATURAL;
    }

    /** @return the size of one {@code struct epoll_event}, in bytes */
    int stride() {
        return stride;
    }

    /** @return the offset of {@code data} inside one {@code struct epoll_event} */
    int dataOffset() {
        return dataOffset;
    }

    /**
     * Writes one event.
     *
     * @param base   an array of events, in native byte order
     * @param index  which event
     * @param events the {@code events} bit mask
     * @param data   the {@code data.u64} value
     */
    void put(ByteBuffer base, int index, int events, long data) {
        int at = index * stride;
        base.putInt(at + EVENTS_OFFSET, events);
        base.putLong(at + dataOffset, data);
    }

    /**
     * Reads the {@code events} mask of one event.
     *
     * @param base  an array of events, in native byte order
     * @param index which event
     * @return the mask
     */
    int events(ByteBuffer base, int index) {
        return base.getInt(index * stride + EVENTS_OFFSET);
    }

    /**
     * Reads the {@code data.u64} of one event.
     *
     * @param base  an array of events, in native byte order
     * @param index which event
     * @return the 64-bit value
     */
    long data(ByteBuffer base, int index) {
        return base.getLong(index * stride + dataOffset);
    }

    @Override
    public String toString() {
        return "epoll_event{stride=" + stride + ", data@" + dataOffset + "}";
    }
}

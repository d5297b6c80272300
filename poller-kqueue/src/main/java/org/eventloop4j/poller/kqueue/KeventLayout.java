package org.eventloop4j.poller.kqueue;

import com.sun.jna.Pointer;

/**
 * Reads and writes {@code struct kevent} arrays in native memory, for one of the two 64-bit layouts.
 *
 * <p>Both layouts start the same way:
 * <pre>
 * offset  size  field
 *      0     8  uintptr_t ident      (the descriptor, or the EVFILT_USER identifier)
 *      8     2  int16_t   filter     (EVFILT_READ, EVFILT_WRITE, EVFILT_USER)
 *     10     2  uint16_t  flags      (EV_ADD, EV_DELETE, ..., EV_EOF, EV_ERROR)
 *     12     4  uint32_t  fflags     (NOTE_TRIGGER; on EV_EOF the socket error)
 *     16     8  intptr_t / int64_t data (on EV_ERROR the errno)
 *     24     8  void*     udata      (our token)
 * </pre>
 * <ul>
 *   <li>{@link #COMPACT}, 32 bytes: macOS ({@code bsd/sys/event.h} in apple-oss-distributions/xnu, under
 *       {@code #pragma pack(4)}, which changes nothing here as every field is naturally aligned) and FreeBSD 11 and
 *       older ({@code struct kevent_freebsd11} in FreeBSD {@code sys/sys/event.h}).</li>
 *   <li>{@link #EXTENDED}, 64 bytes: FreeBSD 12 and newer ({@code struct kevent} in FreeBSD {@code sys/sys/event.h}:
 *       {@code int64_t data} and a trailing {@code uint64_t ext[4]} at offset 32, which we zero when writing).</li>
 * </ul>
 * Offsets assume a 64-bit process; the provider refuses 32-bit platforms.
 */
final class KeventLayout {

    /** macOS and FreeBSD &lt; 12: 32 bytes. */
    static final KeventLayout COMPACT = new KeventLayout("compact (32 bytes)", 32);
    /** FreeBSD &gt;= 12: 64 bytes, with {@code ext[4]}. */
    static final KeventLayout EXTENDED = new KeventLayout("extended (64 bytes, ext[4])", 64);

    static final int OFFSET_IDENT = 0;
    static final int OFFSET_FILTER = 8;
    static final int OFFSET_FLAGS = 10;
    static final int OFFSET_FFLAGS = 12;
    static final int OFFSET_DATA = 16;
    static final int OFFSET_UDATA = 24;
    static final int OFFSET_EXT = 32;

    private final String name;
    private final int size;

    private KeventLayout(String name, int size) {
        this.name = name;
        this.size = size;
    }

    /**
     * The size of one {@code struct kevent}, which is also the array stride.
     *
     * @return 32 or 64
     */
    int size() {
        return size;
    }

    /** Writes entry {@code index} of an array, as {@code EV_SET} does (the extension words are zeroed). */
    void put(Pointer array, int index, long ident, int filter, int flags, int fflags, long data, long udata) {
        long base = (long) index * size;
        array.setLong(base + OFFSET_IDENT, ident);
        array.setShort(base + OFFSET_FILTER, (short) filter);
        array.setShort(base + OFFSET_FLAGS, (short) flags);
        array.setInt(base + OFFSET_FFLAGS, fflags);
        array.setLong(base + OFFSET_DATA, data);
        array.setLong(base + OFFSET_UDATA, udata);
        if (size > OFFSET_EXT) {
            array.setMemory(base + OFFSET_EXT, size - OFFSET_EXT, (byte) 0);
        }
    }

    long ident(Pointer array, int index) {
        return array.getLong((long) index * size + OFFSET_IDENT);
    }

    /** The signed 16-bit filter, sign-extended. */
    int filter(Pointer array, int index) {
        return array.getShort((long) index * size + OFFSET_FILTER);
    }

    /** The unsigned 16-bit flags. */
    int flags(Pointer array, int index) {
        return array.getShort((long) index * size + OFFSET_FLAGS) & 0xFFFF;
    }

    int fflags(Pointer array, int index) {
        return array.getInt((long) index * size + OFFSET_FFLAGS);
    }

    long data(Pointer array, int index) {
        return array.getLong((long) index * size + OFFSET_DATA);
    }

    long udata(Pointer array, int index) {
        return array.getLong((long) index * size + OFFSET_UDATA);
    }

    @Override
    public String toString() {
        return name;
    }
}

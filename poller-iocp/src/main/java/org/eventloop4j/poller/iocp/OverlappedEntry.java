package org.eventloop4j.poller.iocp;

import com.sun.jna.Pointer;

/**
 * Reads an array of {@code OVERLAPPED_ENTRY}, which {@code GetQueuedCompletionStatusEx} fills (x64 layout):
 * <pre>
 * offset  size  field
 *      0     8  ULONG_PTR    lpCompletionKey
 *      8     8  LPOVERLAPPED lpOverlapped
 *     16     8  ULONG_PTR    Internal
 *     24     4  DWORD        dwNumberOfBytesTransferred
 *     28     4  (padding to the 8-byte alignment)
 * </pre>
 * Stride 32. Declared in {@code minwinbase.h}; the same four fields appear in every binding read (for example the
 * Windows SDK-derived headers of several projects found with the search tool).
 */
final class OverlappedEntry {

    static final int SIZE = 32;
    static final int COMPLETION_KEY = 0;
    static final int OVERLAPPED = 8;
    static final int INTERNAL = 16;
    static final int BYTES_TRANSFERRED = 24;

    private OverlappedEntry() {
    }

    static long completionKey(Pointer entries, int i) {
        return entries.getLong((long) i * SIZE + COMPLETION_KEY);
    }

    static long overlapped(Pointer entries, int i) {
        return entries.getLong((long) i * SIZE + OVERLAPPED);
    }

    static long internal(Pointer entries, int i) {
        return entries.getLong((long) i * SIZE + INTERNAL);
    }

    static int bytesTransferred(Pointer entries, int i) {
        return entries.getInt((long) i * SIZE + BYTES_TRANSFERRED);
    }

    /** Writes one entry (used by the fake kernel in tests, and documents the layout from the writer's side). */
    static void put(Pointer entries, int i, long key, long overlapped, long internal, int bytes) {
        long base = (long) i * SIZE;
        entries.setLong(base + COMPLETION_KEY, key);
        entries.setLong(base + OVERLAPPED, overlapped);
        entries.setLong(base + INTERNAL, internal);
        entries.setInt(base + BYTES_TRANSFERRED, bytes);
        entries.setInt(base + 28, 0);
    }
}

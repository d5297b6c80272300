package org.eventloop4j.poller.kqueue;

/**
 * Merges the entries of one {@code kevent} result into one report per (descriptor, token): kqueue returns a separate
 * entry per filter, so a socket both readable and writable comes back twice, and the sink must see it once with
 * {@code READ|WRITE}.
 *
 * <p>Allocation-free after construction: entries live in parallel arrays in arrival order; an open-addressing table
 * indexes them and is invalidated in O(1) per batch by bumping a generation stamp. Used by the loop thread only.
 */
final class ReadyBatch {

    private final int capacity;
    private final int[] fds;
    private final long[] tokens;
    private final int[] events;
    private int size;

    private final int[] slots;
    private final int[] stamps;
    private final int mask;
    private int generation = 1;

    /**
     * @param capacity the most entries one batch can hold (the size of the kevent result array)
     */
    ReadyBatch(int capacity) {
        this.capacity = capacity;
        this.fds = new int[capacity];
        this.tokens = new long[capacity];
        this.events = new int[capacity];
        int tableSize = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
        this.slots = new int[tableSize];
        this.stamps = new int[tableSize];
        this.mask = tableSize - 1;
    }

    /** Empties the batch. */
    void clear() {
        size = 0;
        if (++generation == 0) {
            java.util.Arrays.fill(stamps, 0);
            generation = 1;
        }
    }

    /**
     * Adds readiness bits for a descriptor and token, merging with an earlier entry for the same pair.
     *
     * @throws IllegalStateException if more distinct pairs than the capacity are added
     */
    void add(int fd, long token, int bits) {
        int h = mix(fd, token) & mask;
        while (stamps[h] == generation) {
            int i = slots[h];
            if (fds[i] == fd && tokens[i] == token) {
                events[i] |= bits;
                return;
            }
            h = (h + 1) & mask;
        }
        if (size == capacity) {
            throw new IllegalStateException("ready batch overflow: more than " + capacity + " entries");
        }
        stamps[h] = generation;
        slots[h] = size;
        fds[size] = fd;
        tokens[size] = token;
        events[size] = bits;
        size++;
    }

    int size() {
        return size;
    }

    int fd(int i) {
        return fds[i];
    }

    long token(int i) {
        return tokens[i];
    }

    int events(int i) {
        return events[i];
    }

    private static int mix(int fd, long token) {
        long h = (fd * 0x9E3779B97F4A7C15L) ^ token;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}

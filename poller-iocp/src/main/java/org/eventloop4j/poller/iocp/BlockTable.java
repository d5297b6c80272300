package org.eventloop4j.poller.iocp;

/**
 * The poller's map from the native address of a socket's {@code AFD_POLL_INFO}/{@code OVERLAPPED} block to its state:
 * a completion names only that address. Open addressing with linear probing and backward-shift deletion, so lookups
 * on the completion path neither box a {@code Long} nor allocate. Loop thread only. Key 0 is never stored (a native
 * block is never at address 0).
 *
 * @param <V> the value type
 */
final class BlockTable<V> {
    private long[] keys = new long[16];
    private Object[] values = new Object[16];
    private int size;

    /** @return the value for {@code key}, or null */
    @SuppressWarnings("unchecked")
    V get(long key) {
        if (key == 0) {
            return null;
        }
        long[] k = keys;
        int mask = k.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long found = k[i];
            if (found == key) {
                return (V) values[i];
            }
            if (found == 0) {
                return null;
            }
        }
    }

    void put(long key, V value) {
        if (key == 0) {
            throw new IllegalArgumentException("address 0 cannot be a block address");
        }
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        insert(key, value);
    }

    /** @return the removed value, or null */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        if (key == 0) {
            return null;
        }
        long[] k = keys;
        int mask = k.length - 1;
        int i = slot(key, mask);
        while (k[i] != key) {
            if (k[i] == 0) {
                return null;
            }
            i = (i + 1) & mask;
        }
        V old = (V) values[i];
        // Backward-shift deletion: move later members of the probe run into the hole, so no tombstones are needed.
        int hole = i;
        for (int j = (i + 1) & mask; k[j] != 0; j = (j + 1) & mask) {
            int home = slot(k[j], mask);
            // Move k[j] if its home is not cyclically within (hole, j].
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                k[hole] = k[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        k[hole] = 0;
        values[hole] = null;
        size--;
        return old;
    }

    int size() {
        return size;
    }

    void clear() {
        java.util.Arrays.fill(keys, 0L);
        java.util.Arrays.fill(values, null);
        size = 0;
    }

    private void insert(long key, Object value) {
        long[] k = keys;
        int mask = k.length - 1;
        int i = slot(key, mask);
        while (k[i] != 0 && k[i] != key) {
            i = (i + 1) & mask;
        }
        if (k[i] == 0) {
            size++;
        }
        k[i] = key;
        values[i] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;   // addresses are aligned: the multiply spreads the low zero bits
        return (int) (h ^ (h >>> 32)) & mask;
    }
}

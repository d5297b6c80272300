package org.eventloop4j.internal;

/**
 * An open-addressing hash map from positive {@code long} keys to references, for one thread. Linear probing with
 * backward-shift deletion, so removals leave no tombstones and steady-state put/remove allocate nothing.
 *
 * @param <V> value type
 */
public final class LongMap<V> {
    private long[] keys;     // 0 = empty
    private Object[] values;
    private int size;
    private int mask;

    /** Creates an empty map. */
    public LongMap() {
        keys = new long[64];
        values = new Object[64];
        mask = 63;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * @param key a positive key
     * @return the value or null
     */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        long[] k = keys;
        int m = mask;
        for (int i = hash(key) & m; ; i = (i + 1) & m) {
            long cur = k[i];
            if (cur == key) {
                return (V) values[i];
            }
            if (cur == 0) {
                return null;
            }
        }
    }

    /**
     * @param key a positive key, not present
     * @param value not null
     */
    public void put(long key, V value) {
        if (key <= 0) {
            throw new IllegalArgumentException("key must be positive: " + key);
        }
        if ((size + 1) * 2 > keys.length) {
            rehash(keys.length << 1);
        }
        long[] k = keys;
        int m = mask;
        int i = hash(key) & m;
        while (k[i] != 0 && k[i] != key) {
            i = (i + 1) & m;
        }
        if (k[i] == 0) {
            size++;
        }
        k[i] = key;
        values[i] = value;
    }

    /**
     * @param key the key
     * @return the removed value or null
     */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        long[] k = keys;
        int m = mask;
        int i = hash(key) & m;
        while (k[i] != key) {
            if (k[i] == 0) {
                return null;
            }
            i = (i + 1) & m;
        }
        V old = (V) values[i];
        // Backward-shift: pull later entries of the probe run into the hole.
        int hole = i;
        for (int j = (hole + 1) & m; k[j] != 0; j = (j + 1) & m) {
            int home = hash(k[j]) & m;
            // Move j into hole if its home is not cyclically within (hole, j].
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
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

    /** @return the number of entries */
    public int size() {
        return size;
    }

    /**
     * Calls {@code action} for every value (order unspecified); the map must not change meanwhile.
     *
     * @param action receives each value
     */
    @SuppressWarnings("unchecked")
    public void forEachValue(java.util.function.Consumer<? super V> action) {
        long[] k = keys;
        Object[] v = values;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                action.accept((V) v[i]);
            }
        }
    }

    /** Removes every entry. */
    public void clear() {
        java.util.Arrays.fill(keys, 0);
        java.util.Arrays.fill(values, null);
        size = 0;
    }

    private void rehash(int capacity) {
        long[] oldK = keys;
        Object[] oldV = values;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        size = 0;
        for (int i = 0; i < oldK.length; i++) {
            if (oldK[i] != 0) {
                int j = hash(oldK[i]) & mask;
                while (keys[j] != 0) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldK[i];
                values[j] = oldV[i];
                size++;
            }
        }
    }
}

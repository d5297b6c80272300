package org.eventloop4j.internal;

/**
 * A growable FIFO ring of references for one thread (the loop's microtask, nextTick and task queues).
 * No synchronisation; no allocation per element once grown to its working size.
 *
 * @param <E> element type
 */
public final class ArrayRing<E> {
    private Object[] items;
    private int head;
    private int size;

    /** @param initialCapacity a power of two */
    public ArrayRing(int initialCapacity) {
        if (Integer.bitCount(initialCapacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + initialCapacity);
        }
        items = new Object[initialCapacity];
    }

    /** @param e appended at the tail, not null */
    public void add(E e) {
        Object[] a = items;
        if (size == a.length) {
            a = grow();
        }
        a[(head + size) & (a.length - 1)] = e;
        size++;
    }

    /** @return the head element, removed, or null if empty */
    @SuppressWarnings("unchecked")
    public E poll() {
        if (size == 0) {
            return null;
        }
        Object[] a = items;
        int h = head;
        E e = (E) a[h];
        a[h] = null;
        head = (h + 1) & (a.length - 1);
        size--;
        return e;
    }

    /** @return the number of elements */
    public int size() {
        return size;
    }

    /** @return whether empty */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Removes every element. */
    public void clear() {
        while (size > 0) {
            poll();
        }
    }

    private Object[] grow() {
        Object[] old = items;
        Object[] a = new Object[old.length << 1];
        for (int i = 0; i < size; i++) {
            a[i] = old[(head + i) & (old.length - 1)];
        }
        head = 0;
        items = a;
        return a;
    }
}

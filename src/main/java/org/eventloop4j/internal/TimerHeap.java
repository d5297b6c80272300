package org.eventloop4j.internal;

import java.util.Arrays;

/**
 * An indexed 4-ary min-heap of {@link HeapNode}s, for one thread.
 *
 * <p>Each node records its own index, so {@link #remove(HeapNode)} is O(log n) without a search. A 4-ary heap has
 * half the depth of a binary heap and keeps a node's children in one or two cache lines; sift-down compares up to
 * four children per level, which is cheap because they are adjacent. Ordering is by deadline and then by the
 * insertion sequence number, so timers with equal deadlines run first-in, first-out.
 *
 * @param <T> node type
 */
public final class TimerHeap<T extends HeapNode> {
    private HeapNode[] heap = new HeapNode[64];
    private int size;

    /** @return the number of queued nodes */
    public int size() {
        return size;
    }

    /** @return whether empty */
    public boolean isEmpty() {
        return size == 0;
    }

    /** @return the earliest node, or null */
    @SuppressWarnings("unchecked")
    public T peek() {
        return size == 0 ? null : (T) heap[0];
    }

    /** @param node not queued; its deadline and seq are set */
    public void add(T node) {
        if (node.heapIndex >= 0) {
            throw new IllegalStateException("node already queued");
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size << 1);
        }
        siftUp(size++, node);
    }

    /** @return the earliest node, removed, or null */
    @SuppressWarnings("unchecked")
    public T poll() {
        if (size == 0) {
            return null;
        }
        HeapNode top = heap[0];
        removeAt(0);
        return (T) top;
    }

    /**
     * @param node a node
     * @return whether it was queued here and is now removed
     */
    public boolean remove(T node) {
        int i = node.heapIndex;
        if (i < 0 || i >= size || heap[i] != node) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes every node (their indices are reset). */
    public void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    /**
     * Calls {@code action} for each queued node in heap order (not sorted).
     *
     * @param action receives each node
     */
    @SuppressWarnings("unchecked")
    public void forEach(java.util.function.Consumer<? super T> action) {
        for (int i = 0; i < size; i++) {
            action.accept((T) heap[i]);
        }
    }

    private void removeAt(int i) {
        HeapNode removed = heap[i];
        removed.heapIndex = -1;
        int last = --size;
        HeapNode moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
    }

    private void siftUp(int i, HeapNode node) {
        HeapNode[] h = heap;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            HeapNode p = h[parent];
            if (!node.before(p)) {
                break;
            }
            h[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        h[i] = node;
        node.heapIndex = i;
    }

    private void siftDown(int i, HeapNode node) {
        HeapNode[] h = heap;
        int n = size;
        for (;;) {
            int first = (i << 2) + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                if (h[c].before(h[best])) {
                    best = c;
                }
            }
            if (!h[best].before(node)) {
                break;
            }
            h[i] = h[best];
            h[i].heapIndex = i;
            i = best;
        }
        h[i] = node;
        node.heapIndex = i;
    }
}

package org.eventloop4j.internal;

/**
 * An element of a {@link TimerHeap}: ordered by {@code deadline}, then by {@code seq} (FIFO for equal deadlines).
 * The heap maintains {@code heapIndex} so that removal is O(log n).
 */
public abstract class HeapNode {
    /** Absolute deadline in the loop clock's nanoseconds. */
    public long deadline;
    /** Insertion sequence number; unique per insertion, so ties keep FIFO order. */
    public long seq;
    /** Position in the heap, or -1 when not queued. Maintained by the heap. */
    public int heapIndex = -1;

    /** @return whether this node is in a heap */
    public final boolean isQueued() {
        return heapIndex >= 0;
    }

    final boolean before(HeapNode o) {
        return deadline < o.deadline || (deadline == o.deadline && seq < o.seq);
    }
}

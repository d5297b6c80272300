package org.eventloop4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The loop's multi-producer, single-consumer ingress: an unbounded queue of linked array chunks, with exhausted
 * chunks recycled so that steady-state traffic allocates nothing per element.
 *
 * <h2>Overview</h2>
 * Elements live in fixed-size chunks ({@code Object[]} of a power-of-two length) linked from oldest to newest. Every
 * element has a <em>sequence number</em> {@code s}; it lives in the chunk whose {@code base <= s < base + size}, at
 * slot {@code s - base}. Producers claim sequence numbers with a CAS on {@code producerIndex}; the consumer (the loop
 * thread) reads slots in sequence order and nulls them as it goes. When the consumer leaves a chunk it parks it in a
 * one-slot spare cell; the next producer that needs a new chunk takes it from there.
 *
 * <h2>The producer index</h2>
 * {@code producerIndex} holds {@code (nextSequence << 2) | flags}:
 * <ul>
 * <li>bit 0, LINKING: one producer holds the right to append a chunk; others spin until it clears;</li>
 * <li>bit 1, CLOSED: the queue accepts nothing more; set once by the consumer and never cleared.</li>
 * </ul>
 * A producer reads the index (volatile), then the current producer chunk (volatile). If the sequence falls inside
 * that chunk it CASes the index from {@code p} to {@code p + 4}; success claims the slot, and it stores the element
 * with a release store. If the chunk is full it CASes the LINKING bit on, re-reads the producer chunk under that
 * right (another producer may have linked already), links a chunk ({@code next} release-stored before the new
 * {@code producerChunk} is published), and clears LINKING with a release store of the unchanged index.
 *
 * <p>Why a stale read is harmless: chunks only move forward and indices only grow, so a producer that read an index
 * and then a chunk that no longer matches either computes an offset outside {@code [0, size)} and retries, or fails
 * its CAS. A chunk is recycled only after the consumer has consumed all of its slots, which needs the index to have
 * moved past the chunk, so no CAS that would write into a recycled chunk can succeed.
 *
 * <h2>Consumer and the sleep protocol</h2>
 * The consumer keeps its position in plain fields. {@link #poll()} reads the next slot first (acquire) and consumes a
 * non-null element without touching {@code producerIndex}: a slot of the consumer's current chunk is written only
 * for the sequence number it stands for, so a non-null slot is that element. Only a null slot makes it read the
 * producer index, to tell "empty" from "claimed, store in flight" (the producer is between its CAS and its store);
 * for the latter it spins briefly: the gap is a few instructions. The same rule applies at a chunk boundary to the
 * {@code next} link. Keeping the consumer off the index line while it streams matters: every read of it would take
 * the line away from the producers and make their next CAS a cache miss.
 * {@link #hasPending()} compares the producer index with the consumer position rather than looking at slots, so an
 * in-flight producer counts as pending. The loop's sleep protocol relies on this: the loop publishes "I may sleep"
 * with a volatile write to its wakeup word and then calls {@code hasPending()} (a volatile read of the index);
 * a producer's CAS on the index is a full fence, after which it reads the wakeup word. One of the two must see the
 * other, so a wakeup is never lost (see {@code EventLoop}).
 *
 * <h2>Closing</h2>
 * {@link #close()} sets CLOSED with a CAS (waiting out a LINKING producer). After it returns, no offer can succeed;
 * every element whose offer returned {@code true} is in the queue, so draining until {@link #hasPending()} is false
 * loses nothing that was accepted.
 */
public final class IngressQueue {

    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle PRODUCER_CHUNK;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle NEXT;
    private static final VarHandle SPARE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PRODUCER_INDEX = l.findVarHandle(IngressQueue.class, "producerIndex", long.class);
            PRODUCER_CHUNK = l.findVarHandle(IngressQueue.class, "producerChunk", Chunk.class);
            SPARE = l.findVarHandle(IngressQueue.class, "spare", Chunk.class);
            NEXT = l.findVarHandle(Chunk.class, "next", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long LINKING = 1L;
    private static final long CLOSED = 2L;
    private static final long STEP = 4L;

    /** One chunk: {@code base} is the sequence number of slot 0. */
    static final class Chunk {
        final Object[] slots;
        long base;          // written before the chunk is published (release store of producerChunk / next)
        Chunk next;         // VarHandle NEXT: release-stored by the linking producer, acquired by the consumer

        Chunk(int size, long base) {
            this.slots = new Object[size];
            this.base = base;
        }
    }

    // Padding keeps the producers' hot word away from the consumer's fields.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long producerIndex;
    private volatile Chunk producerChunk;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    private volatile Chunk spare;
    // Consumer-only state (loop thread).
    private Chunk consumerChunk;
    private long consumerSeq;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;

    private final int chunkSize;
    private final int mask;

    /**
     * @param chunkSize slots per chunk, a power of two between 16 and 65536
     */
    public IngressQueue(int chunkSize) {
        if (chunkSize < 16 || chunkSize > 65536 || Integer.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size must be a power of two in [16, 65536], got " + chunkSize);
        }
        this.chunkSize = chunkSize;
        this.mask = chunkSize - 1;
        Chunk first = new Chunk(chunkSize, 0);
        this.consumerChunk = first;
        PRODUCER_CHUNK.setRelease(this, first);
        PRODUCER_INDEX.setVolatile(this, 0L);
    }

    /**
     * Appends an element; any thread.
     *
     * @param e the element, not null
     * @return {@code false} if the queue is closed (the element was not accepted)
     */
    public boolean offer(Object e) {
        for (;;) {
            long p = (long) PRODUCER_INDEX.getVolatile(this);
            if ((p & CLOSED) != 0) {
                return false;
            }
            if ((p & LINKING) != 0) {
                Thread.onSpinWait();
                continue;
            }
            Chunk c = (Chunk) PRODUCER_CHUNK.getAcquire(this);
            long seq = p >>> 2;
            long offset = seq - c.base;
            if (offset >= 0 && offset < chunkSize) {
                if (PRODUCER_INDEX.compareAndSet(this, p, p + STEP)) {
                    SLOTS.setRelease(c.slots, (int) offset, e);
                    return true;
                }
            } else if (offset == chunkSize) {
                if (PRODUCER_INDEX.compareAndSet(this, p, p | LINKING)) {
                    // Under the LINKING right: re-read, another producer may have linked since our read.
                    Chunk current = (Chunk) PRODUCER_CHUNK.getVolatile(this);
                    if (seq - current.base == chunkSize) {
                        Chunk n = (Chunk) SPARE.getAndSet(this, (Chunk) null);
                        if (n == null) {
                            n = new Chunk(chunkSize, seq);
                        } else {
                            n.base = seq;
                        }
                        NEXT.setRelease(current, n);
                        PRODUCER_CHUNK.setRelease(this, n);
                    }
                    PRODUCER_INDEX.setRelease(this, p);
                }
            }
            // else: stale read, retry
        }
    }

    /**
     * Takes the oldest element; loop thread only.
     *
     * @return the element, or null if nothing has been claimed
     */
    public Object poll() {
        long seq = consumerSeq;
        Chunk c = consumerChunk;
        int offset = (int) (seq - c.base);
        if (offset == chunkSize) {
            Chunk n = (Chunk) NEXT.getAcquire(c);
            if (n == null) {
                if (seq == lvProducerSeq()) {
                    return null;
                }
                while ((n = (Chunk) NEXT.getAcquire(c)) == null) {
                    Thread.onSpinWait();    // a producer is linking
                }
            }
            NEXT.setOpaque(c, (Chunk) null);
            SPARE.setRelease(this, c);      // recycle; only linking producers take it
            consumerChunk = c = n;
            offset = 0;
        }
        // The slot first: while elements are there, the consumer never touches the producers' index line.
        Object e = SLOTS.getAcquire(c.slots, offset);
        if (e == null) {
            if (seq == lvProducerSeq()) {
                return null;
            }
            while ((e = SLOTS.getAcquire(c.slots, offset)) == null) {
                Thread.onSpinWait();        // claimed, store in flight
            }
        }
        c.slots[offset] = null;
        consumerSeq = seq + 1;
        return e;
    }

    /**
     * Whether any element has been claimed and not consumed, including elements whose store is still in flight.
     * A volatile read of the producer index; loop thread only.
     *
     * @return true if {@link #poll()} would return an element (possibly after a short spin)
     */
    public boolean hasPending() {
        return consumerSeq != lvProducerSeq();
    }

    /**
     * Whether the next element is already stored, or a new chunk already linked; reads no producer field, so the
     * consumer can poll this in a spin without taking the producers' cache line. Loop thread only.
     *
     * @return true if {@link #poll()} will very likely return an element
     */
    public boolean nextVisible() {
        Chunk c = consumerChunk;
        int offset = (int) (consumerSeq - c.base);
        if (offset == chunkSize) {
            return NEXT.getAcquire(c) != null;
        }
        return SLOTS.getAcquire(c.slots, offset) != null;
    }

    /** @return the number of claimed, unconsumed elements; loop thread only */
    public long size() {
        return lvProducerSeq() - consumerSeq;
    }

    /**
     * Stops accepting elements; loop thread (or before any loop thread exists). Idempotent.
     *
     * @return {@code true} if this call closed the queue
     */
    public boolean close() {
        for (;;) {
            long p = (long) PRODUCER_INDEX.getVolatile(this);
            if ((p & CLOSED) != 0) {
                return false;
            }
            if ((p & LINKING) != 0) {
                Thread.onSpinWait();
                continue;
            }
            if (PRODUCER_INDEX.compareAndSet(this, p, p | CLOSED)) {
                return true;
            }
        }
    }

    /** @return whether {@link #close()} has been called; any thread */
    public boolean isClosed() {
        return ((long) PRODUCER_INDEX.getVolatile(this) & CLOSED) != 0;
    }

    /**
     * Drains everything claimed so far to {@code sink}; loop thread only.
     *
     * @param sink receives each element in order
     * @return the number drained
     */
    public int drainTo(Consumer<Object> sink) {
        int n = 0;
        Object e;
        while ((e = poll()) != null) {
            sink.accept(e);
            n++;
        }
        return n;
    }

    private long lvProducerSeq() {
        return (long) PRODUCER_INDEX.getVolatile(this) >>> 2;
    }
}

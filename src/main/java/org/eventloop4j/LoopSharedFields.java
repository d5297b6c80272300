package org.eventloop4j;

import org.eventloop4j.internal.IngressQueue;

/*
 * Field layout of EventLoop, by inheritance (HotSpot lays out a superclass's fields before its subclass's).
 *
 * The fields every cross-thread execute() reads -- the wakeup word, the lifecycle, the driving thread and the
 * ingress -- sit on their own cache line, between 64 bytes of padding on either side. The loop thread writes
 * its own state (the cached time, nesting levels, counters, flags) on every turn; without the padding those
 * writes would share a line with the producers' fields and every turn would cost each producer a cache miss on
 * its next execute. The shared fields themselves change rarely: wake only when the loop goes to sleep or wakes up
 * (and then a producer must see it anyway), lifecycle and driver a few times in a loop's life, ingress never.
 *
 * HotSpot places a subclass's small fields into gaps of its superclasses' layout, so EventLoop's own booleans may
 * land next to these fields; the ones that do are final or, like "sleeping", written together with "wake". Check
 * with JOL ("java -jar jol-cli.jar internals -cp core/target/classes org.eventloop4j.EventLoop") after changing
 * fields here or in EventLoop.
 *
 * Protocols for the fields themselves are in EventLoop's class comment.
 */

/** Padding before the shared fields (object header side). */
abstract class LoopLeftPad {
    /** Fills the 4-byte gap after a compressed object header, which HotSpot would otherwise give to a later int. */
    @SuppressWarnings("unused")
    private int p0;
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The fields producers read on every cross-thread call; see EventLoop. */
abstract class LoopSharedFields extends LoopLeftPad {
    /** {@link EventLoop#AWAKE} while running, else the deadline the loop sleeps to; VarHandle in EventLoop. */
    volatile long wake = EventLoop.AWAKE;
    /** The thread currently driving the loop (or holding a short idle claim). */
    volatile Thread driver;
    /** NEW, RUNNING, STOPPING, TERMINATED; CAS transitions. */
    volatile int lifecycle;
    /** Whether close() asked the loop to stop at once; read by the loop, written by any thread. */
    volatile boolean closeRequested;
    /** Cross-thread tasks, timers and commands. */
    final IngressQueue ingress;

    LoopSharedFields(IngressQueue ingress) {
        this.ingress = ingress;
    }
}

/** Padding after the shared fields, so the loop's own fields start on another line. */
abstract class LoopRightPad extends LoopSharedFields {
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;

    LoopRightPad(IngressQueue ingress) {
        super(ingress);
    }
}

package org.eventloop4j;

import org.eventloop4j.internal.HeapNode;

/**
 * A timeout or interval. Owned by the loop thread once inserted; recycled after it fires or is cleared.
 * A timer created on another thread travels through the ingress queue; its fields are published by the queue's
 * release store and read by the loop after its acquire load.
 */
final class Timer extends HeapNode {
    long id;
    Runnable task;
    /** The delay the caller asked for (ms), kept for intervals and refresh. */
    long requestedMillis;
    boolean repeat;
    boolean ref = true;
    /** The HTML timer nesting level of this timer's task. */
    int nesting;

    void init(long id, Runnable task, long requestedMillis, boolean repeat) {
        this.id = id;
        this.task = task;
        this.requestedMillis = requestedMillis;
        this.repeat = repeat;
        this.ref = true;
        this.nesting = 0;
    }

    void clear() {
        task = null;
        id = 0;
    }
}

/** A {@code setImmediate} callback. */
final class Immediate {
    long id;
    Runnable task;
    boolean cancelled;

    Immediate(long id, Runnable task) {
        this.id = id;
        this.task = task;
    }
}

/** A request from another thread that the loop thread carries out in the pending phase, without a checkpoint. */
final class LoopCommand {
    static final int CANCEL_TIMER = 1;
    static final int REF_TIMER = 2;
    static final int UNREF_TIMER = 3;
    static final int REFRESH_TIMER = 4;
    static final int CANCEL_IMMEDIATE = 5;

    final int op;
    final long id;
    /** Already sent back once because its timer was still in the ingress; dropped if not found again. */
    final boolean deferred;

    LoopCommand(int op, long id, boolean deferred) {
        this.op = op;
        this.id = id;
        this.deferred = deferred;
    }
}

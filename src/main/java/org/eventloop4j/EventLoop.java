package org.eventloop4j;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eventloop4j.internal.ArrayRing;
import org.eventloop4j.internal.IngressQueue;
import org.eventloop4j.internal.LongMap;
import org.eventloop4j.internal.Platform;
import org.eventloop4j.internal.TimerHeap;

/**
 * A single-threaded event loop with the scheduling rules of JavaScript and Node.js.
 *
 * <pre>{@code
 * EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
 * loop.execute(() -> {
 *     loop.setTimeout(() -> System.out.println("timeout"), 10);
 *     loop.setImmediate(() -> System.out.println("immediate"));
 *     loop.queueMicrotask(() -> System.out.println("microtask"));
 * });
 * loop.run();   // microtask, immediate, timeout; then run() returns: nothing keeps the loop alive
 * }</pre>
 *
 * <h2>One turn</h2>
 * Each turn walks the phases of libuv, which Node uses:
 * <ol>
 * <li><b>timers</b>: expired timeouts and intervals, earliest deadline first, first-in first-out on equal deadlines;
 * a timer scheduled during this phase never fires in the same turn;</li>
 * <li><b>pending</b>: tasks handed in with {@link #execute} (from any thread), in arrival order, at most
 * {@link Builder#maxTasksPerTurn(int)} from other threads per turn;</li>
 * <li><b>poll</b>: I/O readiness; the loop blocks here only when nothing is runnable, up to the next timer;</li>
 * <li><b>check</b>: {@link #setImmediate} callbacks queued before this phase began;</li>
 * <li><b>close</b>: close callbacks.</li>
 * </ol>
 * After <em>every</em> callback comes a microtask checkpoint: the {@link #nextTick} queue is drained, then the
 * microtask queue ({@link #queueMicrotask}, promise reactions), and again, until both are empty.
 *
 * <h2>Threads</h2>
 * One thread at a time drives the loop: {@link #run()} on the caller's thread, {@link #start()} on an owned thread,
 * or {@link #runOnce()}/{@link #runNow()} for embedders that own their thread. Every method may be called from any
 * thread unless its documentation says otherwise; calls made on the loop thread take a direct path with no queue
 * and no fence, calls from other threads go through a lock-free multi-producer queue and wake the loop only if it
 * may be asleep. See {@code docs/architecture.md} for the wakeup protocol.
 *
 * <h2>Implementation notes</h2>
 * Loop-owned state (timer heap, immediates, local task ring, microtask and tick rings) is plain fields touched only
 * by the driving thread. {@code driver} (volatile) names that thread; it is set with a CAS when a thread starts
 * driving and cleared when it stops, so at most one thread drives at a time and the next driver sees the previous
 * one's writes (the CAS and the volatile clear order them). Cross-thread state is: the ingress queue (its own
 * protocol), the wakeup word {@code wake}, {@code lifecycle} (volatile, CAS transitions NEW to RUNNING to STOPPING
 * to TERMINATED), {@code closeRequested} (volatile) and the {@code holds} counter.
 *
 * <p><b>Wakeup word.</b> {@code wake} is {@link #AWAKE} while the loop runs, or the absolute clock deadline it
 * sleeps to ({@code Long.MAX_VALUE}: none). Before blocking, the loop writes the deadline (volatile) and then
 * re-checks the ingress ({@link IngressQueue#hasPending()}, a volatile read) and its flags; if anything is there, it
 * does not block. A producer appends (the CAS on the queue's producer index is a full fence) and then reads
 * {@code wake}: if it is not AWAKE, the producer that swaps it to AWAKE signals the loop's wait mechanism; everyone
 * else pays nothing. By the total order of those volatile accesses either the loop sees the element or the producer
 * sees the deadline, so no wakeup is lost. A timer set from another thread only wakes the loop if its deadline is
 * earlier than the one the loop sleeps to.
 */
public final class EventLoop extends LoopRightPad implements Executor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("org.eventloop4j");

    static final long AWAKE = -1L;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPING = 2;
    private static final int TERMINATED = 3;

    private static final VarHandle WAKE;
    private static final VarHandle DRIVER;
    private static final VarHandle LIFECYCLE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WAKE = l.findVarHandle(LoopSharedFields.class, "wake", long.class);
            DRIVER = l.findVarHandle(LoopSharedFields.class, "driver", Thread.class);
            LIFECYCLE = l.findVarHandle(LoopSharedFields.class, "lifecycle", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final AtomicInteger LOOP_IDS = new AtomicInteger();

    // ------------------------------------------------------------------ configuration
    private final LoopClock clock;
    private final ManualClock manualClock;
    private final DelayPolicy delayPolicy;
    private final boolean exitWhenIdle;
    private final Runnable onIdle;
    private final UncaughtExceptionHandler uncaughtHandler;
    private final String threadName;
    private final boolean virtualThread;
    private final int maxTasksPerTurn;

    // ------------------------------------------------------------------ cross-thread state
    // wake, driver, lifecycle, closeRequested and ingress are inherited from LoopSharedFields: a padded cache line
    // of their own, away from the loop thread's per-turn writes (see LoopSharedFields.java).
    /** The thread driving the loop in run/runOnce/runNow/advanceTime (not a short idle claim); volatile. */
    private volatile Thread realDriver;
    private volatile boolean sleeping;
    private final AtomicLong ids = new AtomicLong(1);
    /** Keep-alive holds and in-flight off-loop work: the loop is alive while this is positive. */
    private final AtomicInteger holds = new AtomicInteger();
    /** In-flight off-loop work (promisify): graceful shutdown waits for it. */
    private final AtomicInteger work = new AtomicInteger();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final IoMultiplexer io;
    private final Runnable clockListener;

    // ------------------------------------------------------------------ loop-owned state
    private long now;
    /** Whether {@link #now} must be re-read before use: the clock is read lazily, at most once per turn. */
    private boolean nowStale;
    private final TimerHeap<Timer> timers = new TimerHeap<>();
    private final LongMap<Timer> timerById = new LongMap<>();
    private int refedTimers;
    private long timerSeq;
    private final Timer[] timerPool = new Timer[256];
    private int timerPoolSize;
    /** Loop-owned: immediates that have run or were cleared, reused by setImmediate on the loop thread. */
    private final Immediate[] immediatePool = new Immediate[256];
    private int immediatePoolSize;
    /** Ids cleared on the loop thread while their timer may still be in the ingress (set from another thread). */
    private final LongMap<Boolean> clearedEarly = new LongMap<>();
    private int timerNesting;
    private final ArrayRing<Runnable> localTasks = new ArrayRing<>(64);
    private final ArrayRing<Immediate> immediates = new ArrayRing<>(64);
    private final LongMap<Immediate> immediateById = new LongMap<>();
    private final ArrayRing<Runnable> closeCallbacks = new ArrayRing<>(16);
    private final ArrayRing<Runnable> ticks = new ArrayRing<>(64);
    private final ArrayRing<Runnable> microtasks = new ArrayRing<>(256);
    private boolean inCheckpoint;
    private boolean timersDropped;
    CheckpointHook checkpointHook;
    private final java.util.List<Runnable> terminationHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EventLoop(Builder b) {
        super(new IngressQueue(b.ingressChunkSize));
        this.clock = b.clock;
        this.manualClock = b.clock instanceof ManualClock ? (ManualClock) b.clock : null;
        this.delayPolicy = b.delayPolicy;
        this.exitWhenIdle = b.exitWhenIdle;
        this.onIdle = b.onIdle;
        this.uncaughtHandler = b.uncaughtHandler != null ? b.uncaughtHandler : EventLoop::logUncaught;
        this.threadName = b.threadName != null ? b.threadName : "eventloop4j-" + LOOP_IDS.incrementAndGet();
        this.virtualThread = b.virtualThread;
        this.maxTasksPerTurn = b.maxTasksPerTurn;
        this.io = new IoMultiplexer(this, b.pollerName);
        this.now = clock.nanoTime();
        nowStale = false;
        if (manualClock != null) {
            clockListener = this::wakeUp;
            manualClock.addListener(clockListener);
        } else {
            clockListener = null;
        }
    }

    /** @return a builder with the defaults: Node delay policy, system clock, loop runs until shut down */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a loop with the default settings */
    public static EventLoop create() {
        return new Builder().build();
    }

    /**
     * Which variant of the multi-release jar is in use.
     *
     * @return {@code "java21"} when the Java 21 overlay (virtual threads) is loaded, {@code "java17"} for the base
     */
    public static String runtimeVariant() {
        return Platform.variant();
    }

    // =================================================================== driving

    /**
     * Runs the loop on the calling thread until it terminates: after {@link #shutdown()} or {@link #close()}, or,
     * with {@link Builder#exitWhenIdle(boolean)}, once nothing keeps it alive.
     *
     * @throws IllegalStateException if another thread is running the loop, if called from one of this loop's
     *     callbacks, or if the loop has terminated
     */
    public void run() {
        enterDriver("run()");
        try {
            while (lifecycle != TERMINATED) {
                turn(true);
            }
        } finally {
            exitDriver();
        }
    }

    /**
     * Starts an owned thread (virtual if {@link Builder#virtualThread(boolean)} asked for it) that runs the loop.
     *
     * @return this loop
     * @throws IllegalStateException if the loop is not {@link LoopState#NEW}
     */
    public EventLoop start() {
        if (!LIFECYCLE.compareAndSet(this, NEW, RUNNING)) {
            throw new IllegalStateException("start() needs a NEW loop, but it is " + state());
        }
        Thread t = Platform.newLoopThread(this::runOwned, threadName, virtualThread);
        t.start();
        return this;
    }

    private void runOwned() {
        try {
            run();
        } catch (IllegalStateException e) {
            if (lifecycle != TERMINATED && !closeRequested) {
                LOG.log(System.Logger.Level.ERROR, "event loop thread failed", e);
                throw e;
            }
            // close() terminated the loop before its owned thread got to run it: a normal end.
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "event loop thread failed", t);
            throw t;
        }
    }

    /**
     * Runs one turn on the calling thread, blocking in the poll phase until something is runnable (like libuv's
     * {@code UV_RUN_ONCE}), for embedders that own their thread.
     *
     * @return whether the loop is still alive afterwards (false once terminated)
     * @throws IllegalStateException if another thread is driving the loop or if called from a callback
     */
    public boolean runOnce() {
        return pump(true);
    }

    /**
     * Runs one turn on the calling thread without blocking (like libuv's {@code UV_RUN_NOWAIT}).
     *
     * @return whether the loop is still alive afterwards (false once terminated)
     * @throws IllegalStateException if another thread is driving the loop or if called from a callback
     */
    public boolean runNow() {
        return pump(false);
    }

    private boolean pump(boolean mayBlock) {
        if (lifecycle == TERMINATED) {
            return false;
        }
        try {
            enterDriver(mayBlock ? "runOnce()" : "runNow()");
        } catch (IllegalStateException e) {
            if (lifecycle == TERMINATED) {
                return false;     // lost a race with close(): the loop is over
            }
            throw e;
        }
        try {
            if (lifecycle != TERMINATED) {
                turn(mayBlock);
            }
            return lifecycle != TERMINATED && isAliveOnLoop();
        } finally {
            exitDriver();
        }
    }

    /**
     * With a {@link ManualClock}: advances the clock by {@code millis} in steps, running the loop on the calling
     * thread at each timer's own deadline, so timers scheduled by timers inside the window fire too, in order (as
     * fake timers in JS test frameworks do). Then runs whatever else is runnable without blocking.
     *
     * @param millis how far to move, not negative
     * @throws IllegalStateException if the loop does not use a {@link ManualClock} or another thread drives it
     */
    public void advanceTime(long millis) {
        if (manualClock == null) {
            throw new IllegalStateException("advanceTime needs a loop built with a ManualClock");
        }
        if (millis < 0) {
            throw new IllegalArgumentException("cannot advance time by a negative amount: " + millis);
        }
        long target = Math.addExact(manualClock.nanoTime(), Math.multiplyExact(millis, 1_000_000L));
        enterDriver("advanceTime()");
        try {
            if (lifecycle == TERMINATED) {
                return;
            }
            turn(false);
            while (lifecycle != TERMINATED) {
                Timer next = timers.peek();
                if (next == null || next.deadline > target) {
                    break;
                }
                manualClock.setNanos(next.deadline);
                turn(false);
            }
            manualClock.setNanos(target);
            if (lifecycle != TERMINATED) {
                turn(false);
            }
        } finally {
            exitDriver();
        }
    }

    private void enterDriver(String what) {
        Thread me = Thread.currentThread();
        for (;;) {
            Thread d = driver;
            if (d == me) {
                throw new IllegalStateException(what + " called from inside a callback of this loop; the loop is not re-entrant");
            }
            if (lifecycle == TERMINATED) {
                throw new IllegalStateException(what + ": the loop has terminated");
            }
            if (d == null && DRIVER.compareAndSet(this, null, me)) {
                break;
            }
            // Either a real driver holds the loop (fail clearly) or another thread holds a short idle claim
            // (directMode/onLoopOrIdle: it runs no user code and releases at once), so wait for it.
            Thread real = realDriver;
            if (real != null && real == driver) {
                throw new IllegalStateException(what + ": the loop is already being run by thread '"
                        + real.getName() + "'");
            }
            Thread.yield();
        }
        realDriver = me;
        if (lifecycle == NEW) {
            LIFECYCLE.compareAndSet(this, NEW, RUNNING);
        }
        now = clock.nanoTime();
        nowStale = false;
    }

    private void exitDriver() {
        realDriver = null;
        driver = null;
    }

    /**
     * Whether the caller may touch loop-owned state directly: it is the loop thread, or no thread drives the loop
     * and the caller has just claimed it (then it must call {@link #releaseIdleClaim(Thread)}). Loops that are
     * running never pay for the claim: {@code driver} is non-null, so producers go to the ingress.
     *
     * @return 0: go through the ingress; 1: direct, on the loop thread; 2: direct, claimed while idle
     */
    private int directMode(Thread me) {
        Thread d = driver;
        if (d == me) {
            return 1;
        }
        if (d == null && lifecycle != TERMINATED && DRIVER.compareAndSet(this, null, me)) {
            now = clock.nanoTime();
            nowStale = false;
            return 2;
        }
        return 0;
    }

    private void releaseIdleClaim(int mode) {
        if (mode == 2) {
            driver = null;
        }
    }

    /** @return whether the calling thread is the thread driving this loop right now */
    public boolean inLoop() {
        return driver == Thread.currentThread();
    }

    /** @return the lifecycle state; a snapshot when read from another thread */
    public LoopState state() {
        switch (lifecycle) {
            case NEW:
                return LoopState.NEW;
            case RUNNING:
                return sleeping ? LoopState.SLEEPING : LoopState.RUNNING;
            case STOPPING:
                return LoopState.STOPPING;
            default:
                return LoopState.TERMINATED;
        }
    }

    /**
     * Whether something keeps the loop alive: ref'd timers, queued tasks, immediates or close callbacks, ref'd I/O
     * registrations, keep-alive holds or off-loop work in flight. Exact on the loop thread, a snapshot elsewhere.
     *
     * @return whether the loop is alive
     */
    public boolean isAlive() {
        return lifecycle != TERMINATED && isAliveOnLoop();
    }

    private boolean isAliveOnLoop() {
        return refedTimers > 0 || !localTasks.isEmpty() || liveImmediates > 0 || !closeCallbacks.isEmpty()
                || io.hasRefs() || holds.get() > 0 || ingress.hasPending();
    }

    String threadName() {
        return threadName;
    }

    // =================================================================== the turn

    private void turn(boolean mayBlock) {
        // Read the clock on first use in this turn (timers due, a timer set), not on every turn: a turn that only
        // runs tasks pays no clock read.
        nowStale = true;
        runTimers();
        runPending();
        runPoll(mayBlock);
        runImmediates();
        runCloseCallbacks();
        afterTurn();
    }

    private long loopNow() {
        if (nowStale) {
            now = clock.nanoTime();
            nowStale = false;
        }
        return now;
    }

    private void runTimers() {
        if (timers.isEmpty() || closeRequested) {
            return;
        }
        long limitSeq = timerSeq;     // timers (re)inserted during this phase have seq >= limitSeq
        long t = loopNow();
        Timer top;
        while ((top = timers.peek()) != null && top.deadline <= t && top.seq < limitSeq) {
            timers.poll();
            fire(top);
            if (closeRequested) {
                return;
            }
        }
    }

    private void fire(Timer t) {
        int level = t.nesting;
        Runnable task = t.task;
        if (t.repeat) {
            // Re-arm before the callback runs, anchored to the previous deadline, so the schedule does not drift
            // with the callback's duration; a loop that fell behind resumes from now instead of bursting.
            long d = delayPolicy.effectiveDelayMillis(t.requestedMillis, level) * 1_000_000L;
            long next = t.deadline + d;
            long current = loopNow();
            if (next <= current) {
                next = current + Math.max(d, 1);
            }
            t.deadline = next;
            t.nesting = level + 1;
            t.seq = timerSeq++;
            timers.add(t);
        } else {
            timerById.remove(t.id);
            if (t.ref) {
                refedTimers--;
            }
            recycle(t);
        }
        timerNesting = level;
        try {
            task.run();
        } catch (Throwable e) {
            reportUncaught(e);
        }
        timerNesting = 0;
        checkpoint();
    }

    private void runPending() {
        if (closeRequested) {
            return;
        }
        int localCount = localTasks.size();   // tasks the loop thread adds now wait for the next turn
        int budget = maxTasksPerTurn;
        while (budget-- > 0) {
            Object o = ingress.poll();
            if (o == null) {
                break;
            }
            if (o instanceof Runnable) {
                runCallback((Runnable) o);
            } else if (o instanceof Timer) {
                acceptForeignTimer((Timer) o);
            } else if (o instanceof Immediate) {
                enqueueImmediate((Immediate) o);
            } else {
                applyCommand((LoopCommand) o);
            }
            if (closeRequested) {
                return;
            }
        }
        if (clearedEarly.size() > 0 && !ingress.hasPending()) {
            clearedEarly.clear();
        }
        for (int n = localCount; n > 0; n--) {
            runCallback(localTasks.poll());
            if (closeRequested) {
                return;
            }
        }
    }

    private void runPoll(boolean mayBlock) {
        long timeout = 0;
        if (mayBlock && mayBlockNow()) {
            timeout = computeTimeout();
        }
        if (timeout == 0 && !io.hasRegistrations()) {
            return;
        }
        if (timeout != 0 && SPIN_BEFORE_SLEEP > 0 && io.hasRegistrations()
                && !Platform.isVirtual(Thread.currentThread()) && spinForIngress()) {
            timeout = 0;
        }
        Thread me = Thread.currentThread();
        io.prepareWait(me);
        if (timeout != 0) {
            long deadline = timeout < 0 ? NO_DEADLINE : clock.nanoTime() + timeout;
            if (manualClock != null) {
                deadline = NO_DEADLINE - 1;    // a manual clock moves only by advance(), which wakes us
            }
            WAKE.setVolatile(this, deadline);
            // Re-check after publishing the intent to sleep (see the class comment): the whole decision, since a
            // keep-alive release, a manual clock move or a lifecycle change may have signalled nobody.
            if (ingress.hasPending() || closeRequested || lifecycle == STOPPING && !timersDropped
                    || !mayBlockNow() || computeTimeout() == 0) {
                WAKE.setVolatile(this, AWAKE);
                timeout = 0;
            } else {
                sleeping = true;
            }
        }
        try {
            io.await(timeout);
        } catch (IOException e) {
            reportUncaught(e);
        } finally {
            if (timeout != 0) {
                sleeping = false;
                WAKE.getAndSet(this, AWAKE);
            }
        }
        nowStale = true;
    }

    /**
     * Iterations of {@link #spinForIngress()} (system property {@code eventloop4j.spinBeforeSleep}, default 512,
     * a few microseconds; 0 disables it).
     */
    private static final int SPIN_BEFORE_SLEEP = Math.max(0, Integer.getInteger("eventloop4j.spinBeforeSleep", 512));

    /**
     * Before a loop that waits in a poller or a Selector publishes its intent to sleep, it watches the next ingress
     * slot for a few microseconds (reading only the slot, never the producers' index): a producer that streams tasks
     * then rarely has to wake it, and it rarely pays a blocking system call, each of which costs a system call on
     * both sides. Not done when nothing is registered (the loop parks): there a park/unpark is cheap, and the
     * measured throughput was lower with the spin (docs/benchmarks.md, finding 8). Not done on a virtual thread,
     * which would hold its carrier.
     */
    private boolean spinForIngress() {
        for (int i = SPIN_BEFORE_SLEEP; i > 0; i--) {
            if (ingress.nextVisible()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private boolean mayBlockNow() {
        if (closeRequested || !localTasks.isEmpty() || liveImmediates > 0 || !closeCallbacks.isEmpty()
                || ingress.hasPending()) {
            return false;
        }
        int lc = lifecycle;
        if (lc == STOPPING) {
            // Draining: block only while off-loop work we wait for is in flight.
            return timersDropped && work.get() > 0;
        }
        if (exitWhenIdle && !isAliveOnLoop()) {
            return false;
        }
        return true;
    }

    /** @return nanos until the next timer, 0 if due, -1 if none (or the clock is manual and it is not due) */
    private long computeTimeout() {
        Timer next = timers.peek();
        if (next == null) {
            return -1;
        }
        long delta = next.deadline - clock.nanoTime();
        if (delta <= 0) {
            return 0;
        }
        return manualClock != null ? -1 : delta;
    }

    private int liveImmediates;

    private void runImmediates() {
        if (closeRequested) {
            return;
        }
        for (int n = immediates.size(); n > 0; n--) {
            Immediate im = immediates.poll();
            if (im.cancelled) {
                recycle(im);
                continue;
            }
            immediateById.remove(im.id);
            liveImmediates--;
            Runnable task = im.task;
            recycle(im);
            runCallback(task);
            if (closeRequested) {
                return;
            }
        }
    }

    private void runCloseCallbacks() {
        for (int n = closeCallbacks.size(); n > 0 && !closeRequested; n--) {
            runCallback(closeCallbacks.poll());
        }
    }

    private void afterTurn() {
        if (closeRequested) {
            terminateNow();
            return;
        }
        int lc = lifecycle;
        if (lc == STOPPING) {
            if (!timersDropped) {
                dropTimers();
            }
            if (isQuiescentForShutdown()) {
                finishShutdown();
            }
            return;
        }
        if (exitWhenIdle && !isAliveOnLoop()) {
            if (onIdle != null) {
                runCallback(onIdle);
                if (isAliveOnLoop() || closeRequested || lifecycle != lc) {
                    return;
                }
            }
            if (LIFECYCLE.compareAndSet(this, lc, STOPPING)) {
                dropTimers();
                if (isQuiescentForShutdown()) {
                    finishShutdown();
                }
            }
        }
    }

    // =================================================================== callbacks and the checkpoint

    void runCallback(Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            reportUncaught(e);
        }
        checkpoint();
    }

    void runIoCallback(Registration r, int events) {
        try {
            r.handler.onReady(r, events);
        } catch (Throwable e) {
            reportUncaught(e);
        }
        checkpoint();
    }

    /**
     * The microtask checkpoint: ticks, then microtasks, until both queues are empty, then the checkpoint hook
     * (unhandled rejections), which may queue more. As Node's {@code processTicksAndRejections}.
     */
    private void checkpoint() {
        if (inCheckpoint) {
            return;
        }
        CheckpointHook hook = checkpointHook;
        if (ticks.isEmpty() && microtasks.isEmpty() && (hook == null || !hook.hasWork())) {
            return;
        }
        inCheckpoint = true;
        try {
            do {
                Runnable r;
                while ((r = ticks.poll()) != null) {
                    runMicrotask(r);
                }
                while ((r = microtasks.poll()) != null) {
                    runMicrotask(r);
                }
                hook = checkpointHook;
                if (ticks.isEmpty() && hook != null && hook.hasWork()) {
                    hook.afterMicrotasks();
                }
            } while (!ticks.isEmpty() || !microtasks.isEmpty());
        } finally {
            inCheckpoint = false;
        }
    }

    private void runMicrotask(Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            reportUncaught(e);
        }
    }

    void reportUncaught(Throwable e) {
        try {
            uncaughtHandler.uncaughtException(this, e);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "the uncaught-exception handler threw", t);
        }
    }

    private static void logUncaught(EventLoop loop, Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "uncaught exception in a callback on " + loop.threadName, e);
    }

    // =================================================================== tasks

    /**
     * Runs {@code task} on the loop in the pending phase, from any thread.
     *
     * @param task the task
     * @throws RejectedExecutionException once the loop is shutting down or terminated
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (driver == Thread.currentThread()) {
            if (lifecycle >= STOPPING) {
                throw rejected("execute");
            }
            localTasks.add(task);
            return;
        }
        if (lifecycle >= STOPPING || !ingress.offer(task)) {
            throw rejected("execute");
        }
        wakeIfSleeping();
    }

    /**
     * Hands a task to the loop even while it is shutting down gracefully (used to settle off-loop work).
     *
     * @return false if the loop has terminated and the task will never run
     */
    boolean submitInternal(Runnable task) {
        if (driver == Thread.currentThread()) {
            if (lifecycle == TERMINATED) {
                return false;
            }
            localTasks.add(task);
            return true;
        }
        if (!ingress.offer(task)) {
            return false;
        }
        wakeIfSleeping();
        return true;
    }

    /**
     * Queues a microtask: on the loop thread it runs in the current checkpoint, after the {@code nextTick} queue;
     * from another thread it is handed in as a task and runs in the pending phase.
     *
     * @param task the microtask
     * @throws RejectedExecutionException from another thread once the loop is shutting down
     */
    public void queueMicrotask(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (driver == Thread.currentThread()) {
            microtasks.add(task);
        } else {
            execute(task);
        }
    }

    /**
     * Queues a callback on the {@code nextTick} queue, which a checkpoint drains before the microtasks (Node's
     * {@code process.nextTick}). From another thread it is handed in as a task.
     *
     * @param task the callback
     * @throws RejectedExecutionException from another thread once the loop is shutting down
     */
    public void nextTick(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (driver == Thread.currentThread()) {
            ticks.add(task);
        } else {
            execute(task);
        }
    }

    /** Queues a promise reaction; loop thread only. */
    void enqueueMicrotask(Runnable reaction) {
        microtasks.add(reaction);
    }

    /**
     * Queues a close callback, run in the close phase of this or the next turn.
     *
     * @param task the callback
     */
    public void onCloseCallback(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (driver == Thread.currentThread()) {
            closeCallbacks.add(task);
        } else {
            execute(() -> closeCallbacks.add(task));
        }
    }

    private void wakeIfSleeping() {
        if ((long) WAKE.getVolatile(this) != AWAKE && (long) WAKE.getAndSet(this, AWAKE) != AWAKE) {
            io.signal();
        }
    }

    private void wakeIfBefore(long deadline) {
        long w = (long) WAKE.getVolatile(this);
        if (w != AWAKE && deadline < w && (long) WAKE.getAndSet(this, AWAKE) != AWAKE) {
            io.signal();
        }
    }

    /** Wakes the loop unconditionally (lifecycle changes, manual clock moves). */
    private void wakeUp() {
        if ((long) WAKE.getAndSet(this, AWAKE) != AWAKE) {
            io.signal();
        }
    }

    private RejectedExecutionException rejected(String what) {
        return new RejectedExecutionException(what + ": the event loop " + threadName + " is "
                + (lifecycle == TERMINATED ? "terminated" : "shutting down") + " and accepts no new work");
    }

    // =================================================================== timers

    /**
     * Calls {@code task} once after {@code delayMillis}, coerced by the loop's {@link DelayPolicy}. Any thread.
     *
     * @param task the callback
     * @param delayMillis the delay in ms
     * @return the timer's id, positive and never reused (shared with intervals)
     * @throws RejectedExecutionException once the loop is shutting down
     */
    public long setTimeout(Runnable task, long delayMillis) {
        return addTimer(task, delayMillis, false);
    }

    /**
     * Calls {@code task} every {@code delayMillis} (coerced by the {@link DelayPolicy}) until cleared. The schedule is
     * anchored to the previous deadline, so it does not drift with callback time. Any thread.
     *
     * @param task the callback
     * @param delayMillis the period in ms
     * @return the timer's id, positive and never reused (shared with timeouts)
     * @throws RejectedExecutionException once the loop is shutting down
     */
    public long setInterval(Runnable task, long delayMillis) {
        return addTimer(task, delayMillis, true);
    }

    private long addTimer(Runnable task, long delayMillis, boolean repeat) {
        Objects.requireNonNull(task, "task");
        long id;
        int mode = directMode(Thread.currentThread());
        if (mode != 0) {
            try {
                if (lifecycle >= STOPPING) {
                    throw rejected(repeat ? "setInterval" : "setTimeout");
                }
                id = directId();
                Timer t = obtainTimer();
                t.init(id, task, delayMillis, repeat);
                int level = timerNesting;
                t.nesting = level + 1;
                t.deadline = loopNow() + delayPolicy.effectiveDelayMillis(delayMillis, level) * 1_000_000L;
                insertTimer(t);
            } finally {
                releaseIdleClaim(mode);
            }
        } else {
            if (lifecycle >= STOPPING) {
                throw rejected(repeat ? "setInterval" : "setTimeout");
            }
            id = ids.getAndIncrement();
            Timer t = new Timer();
            t.init(id, task, delayMillis, repeat);
            t.nesting = 1;
            t.deadline = clock.nanoTime() + delayPolicy.effectiveDelayMillis(delayMillis, 0) * 1_000_000L;
            if (!ingress.offer(t)) {
                throw rejected(repeat ? "setInterval" : "setTimeout");
            }
            wakeIfBefore(t.deadline);
        }
        return id;
    }

    /** Ids handed out on the loop thread come from a block reserved from {@link #ids}: no atomic per call. */
    private static final int LOCAL_ID_BLOCK = 256;
    /** Loop-owned (or an idle claim's): the next id of the reserved block, and its end. */
    private long localIdNext;
    private long localIdEnd;

    /**
     * An id for a timer or immediate created on the loop thread (or under an idle claim). Ids stay positive, unique
     * and below {@code ids.get()}; they no longer increase across threads in call order (nothing promises that).
     */
    private long directId() {
        long id = localIdNext;
        if (id == localIdEnd) {
            id = ids.getAndAdd(LOCAL_ID_BLOCK);
            localIdEnd = id + LOCAL_ID_BLOCK;
        }
        localIdNext = id + 1;
        return id;
    }

    private void insertTimer(Timer t) {
        t.seq = timerSeq++;
        timers.add(t);
        timerById.put(t.id, t);
        if (t.ref) {
            refedTimers++;
        }
    }

    private void acceptForeignTimer(Timer t) {
        if (clearedEarly.remove(t.id) != null || lifecycle >= STOPPING) {
            return;
        }
        insertTimer(t);
    }

    private Timer obtainTimer() {
        int n = timerPoolSize;
        if (n == 0) {
            return new Timer();
        }
        Timer t = timerPool[--n];
        timerPool[n] = null;
        timerPoolSize = n;
        return t;
    }

    private void recycle(Timer t) {
        t.clear();
        if (timerPoolSize < timerPool.length) {
            timerPool[timerPoolSize++] = t;
        }
    }

    /**
     * Cancels a timeout or an interval (they share one id space, as in browsers and Node). Unknown, fired or
     * already cleared ids are ignored. Any thread; never throws for a stopped loop.
     *
     * @param id a timer id
     */
    public void clearTimeout(long id) {
        if (id <= 0) {
            return;
        }
        int mode = directMode(Thread.currentThread());
        if (mode != 0) {
            try {
                cancelTimerOnLoop(id);
            } finally {
                releaseIdleClaim(mode);
            }
        } else {
            sendCommand(LoopCommand.CANCEL_TIMER, id);
        }
    }

    private void cancelTimerOnLoop(long id) {
        Timer t = timerById.remove(id);
        if (t != null) {
            timers.remove(t);
            if (t.ref) {
                refedTimers--;
            }
            recycle(t);
        } else if (id < ids.get() && ingress.hasPending()) {
            clearedEarly.put(id, Boolean.TRUE);
        }
    }

    /**
     * Same as {@link #clearTimeout(long)}.
     *
     * @param id a timer id
     */
    public void clearInterval(long id) {
        clearTimeout(id);
    }

    /**
     * Makes an active timer keep the loop alive again (the default). Any thread.
     *
     * @param id a timer id; unknown ids are ignored
     */
    public void refTimer(long id) {
        timerCommand(LoopCommand.REF_TIMER, id);
    }

    /**
     * Lets the loop exit (with {@link Builder#exitWhenIdle(boolean)}) even while this timer is pending; it still
     * fires if the loop is alive for other reasons. Any thread.
     *
     * @param id a timer id; unknown ids are ignored
     */
    public void unrefTimer(long id) {
        timerCommand(LoopCommand.UNREF_TIMER, id);
    }

    /**
     * Restarts an active timer's countdown from now with its original delay (Node's {@code timeout.refresh()}).
     * Any thread.
     *
     * @param id a timer id; unknown or fired ids are ignored
     */
    public void refreshTimer(long id) {
        timerCommand(LoopCommand.REFRESH_TIMER, id);
    }

    /**
     * Whether an active timer keeps the loop alive. Loop thread only (or before the loop runs).
     *
     * @param id a timer id
     * @return false for unknown, fired or cleared ids and unref'd timers
     * @throws IllegalStateException when called from another thread while the loop runs
     */
    public boolean hasRef(long id) {
        return onLoopOrIdle("hasRef", () -> {
            Timer t = timerById.get(id);
            return t != null && t.ref;
        });
    }

    /**
     * Whether a timer is active (scheduled and not yet fired or cleared). Loop thread only (or before it runs).
     *
     * @param id a timer id
     * @return whether it is active
     */
    public boolean isTimerActive(long id) {
        return onLoopOrIdle("isTimerActive", () -> timerById.get(id) != null);
    }

    private void timerCommand(int op, long id) {
        if (id <= 0) {
            return;
        }
        int mode = directMode(Thread.currentThread());
        if (mode != 0) {
            try {
                if (!applyTimerOp(op, id)) {
                    deferIfInFlight(op, id, false);
                }
            } finally {
                releaseIdleClaim(mode);
            }
        } else {
            sendCommand(op, id);
        }
    }

    private void sendCommand(int op, long id) {
        if (ingress.offer(new LoopCommand(op, id, false))) {
            wakeIfSleeping();
        }
    }

    /**
     * A ref/unref/refresh for an id that is not in the heap may target a timer created on another thread that is
     * still in the ingress: send the command once more behind it (it is dropped if still not found then).
     */
    private void deferIfInFlight(int op, long id, boolean alreadyDeferred) {
        if (!alreadyDeferred && id < ids.get() && ingress.hasPending()) {
            ingress.offer(new LoopCommand(op, id, true));
        }
    }

    private void applyCommand(LoopCommand c) {
        switch (c.op) {
            case LoopCommand.CANCEL_TIMER:
                cancelTimerOnLoop(c.id);
                break;
            case LoopCommand.CANCEL_IMMEDIATE:
                cancelImmediateOnLoop(c.id);
                break;
            default:
                if (!applyTimerOp(c.op, c.id)) {
                    deferIfInFlight(c.op, c.id, c.deferred);
                }
                break;
        }
    }

    private boolean applyTimerOp(int op, long id) {
        Timer t = timerById.get(id);
        if (t == null) {
            return false;
        }
        switch (op) {
            case LoopCommand.REF_TIMER:
                if (!t.ref) {
                    t.ref = true;
                    refedTimers++;
                }
                break;
            case LoopCommand.UNREF_TIMER:
                if (t.ref) {
                    t.ref = false;
                    refedTimers--;
                }
                break;
            case LoopCommand.REFRESH_TIMER:
                timers.remove(t);
                t.deadline = clock.nanoTime() + delayPolicy.effectiveDelayMillis(t.requestedMillis, t.nesting - 1)
                        * 1_000_000L;
                t.seq = timerSeq++;
                timers.add(t);
                break;
            default:
                throw new AssertionError(op);
        }
        return true;
    }

    private void dropTimers() {
        timersDropped = true;
        timers.clear();
        timerById.clear();
        refedTimers = 0;
    }

    // =================================================================== immediates

    /**
     * Calls {@code task} in the check phase of this turn (if queued before the phase began) or the next. Any thread.
     *
     * @param task the callback
     * @return the immediate's id, positive and never reused
     * @throws RejectedExecutionException once the loop is shutting down
     */
    public long setImmediate(Runnable task) {
        Objects.requireNonNull(task, "task");
        long id;
        int mode = directMode(Thread.currentThread());
        if (mode != 0) {
            try {
                if (lifecycle >= STOPPING) {
                    throw rejected("setImmediate");
                }
                id = directId();
                enqueueImmediate(newImmediate(id, task));
            } finally {
                releaseIdleClaim(mode);
            }
        } else {
            id = ids.getAndIncrement();
            if (lifecycle >= STOPPING || !ingress.offer(new Immediate(id, task))) {
                throw rejected("setImmediate");
            }
            wakeIfSleeping();
        }
        return id;
    }

    /** Loop thread (or an idle claim): a pooled immediate if there is one. */
    private Immediate newImmediate(long id, Runnable task) {
        int n = immediatePoolSize;
        if (n == 0) {
            return new Immediate(id, task);
        }
        Immediate im = immediatePool[--n];
        immediatePool[n] = null;
        immediatePoolSize = n;
        im.id = id;
        im.task = task;
        im.cancelled = false;
        return im;
    }

    /** Loop thread: {@code im} has left both the queue and the id map, so nothing refers to it any more. */
    private void recycle(Immediate im) {
        im.task = null;
        if (immediatePoolSize < immediatePool.length) {
            immediatePool[immediatePoolSize++] = im;
        }
    }

    private void enqueueImmediate(Immediate im) {
        if (clearedEarly.remove(im.id) != null) {
            recycle(im);
            return;
        }
        immediates.add(im);
        immediateById.put(im.id, im);
        liveImmediates++;
    }

    /**
     * Cancels an immediate; unknown or already run ids are ignored. Any thread.
     *
     * @param id an immediate id
     */
    public void clearImmediate(long id) {
        if (id <= 0) {
            return;
        }
        int mode = directMode(Thread.currentThread());
        if (mode != 0) {
            try {
                cancelImmediateOnLoop(id);
            } finally {
                releaseIdleClaim(mode);
            }
        } else {
            sendCommand(LoopCommand.CANCEL_IMMEDIATE, id);
        }
    }

    private void cancelImmediateOnLoop(long id) {
        Immediate im = immediateById.remove(id);
        if (im != null) {
            im.cancelled = true;
            im.task = null;
            liveImmediates--;
        } else if (id < ids.get() && ingress.hasPending()) {
            clearedEarly.put(id, Boolean.TRUE);
        }
    }

    // =================================================================== keep-alive and off-loop work

    /**
     * Holds the loop alive until the returned handle is closed. Any thread.
     *
     * @return the hold
     */
    public KeepAlive keepAlive() {
        holds.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                holds.decrementAndGet();
                wakeUp();
            }
        };
    }

    /** Counts off-loop work in flight: alive and graceful shutdown waits. */
    void workStarted() {
        holds.incrementAndGet();
        work.incrementAndGet();
    }

    /** Ends what {@link #workStarted()} began; wakes the loop so it can re-check liveness. */
    void workFinished() {
        work.decrementAndGet();
        holds.decrementAndGet();
        wakeUp();
    }

    /** Registers an action to run on the loop thread when the loop terminates. */
    void addTerminationHook(Runnable hook) {
        terminationHooks.add(hook);
    }

    /** @return the loop's clock */
    public LoopClock clock() {
        return clock;
    }

    /** @return the loop's delay policy */
    public DelayPolicy delayPolicy() {
        return delayPolicy;
    }

    /** @return the loop's cached time of the current turn, in ms of its clock; on the loop thread */
    public long nowMillis() {
        return loopNow() / 1_000_000L;
    }

    // =================================================================== I/O

    /**
     * Watches a native file descriptor through the loop's native {@link org.eventloop4j.spi.Poller} (chosen on
     * first use; see {@code docs/pollers.md}). Loop thread, or before the loop runs.
     *
     * @param fd the descriptor; the caller keeps ownership and closes it after cancelling
     * @param interest {@link IoEvents#READ} and/or {@link IoEvents#WRITE}
     * @param handler called on the loop thread with the ready set
     * @return the registration
     * <p>A loop may watch descriptors and {@linkplain #register(java.nio.channels.SelectableChannel, int, IoHandler)
     * NIO channels} together when its poller supports {@link org.eventloop4j.spi.Poller#awaitReadiness} (epoll,
     * kqueue): it then blocks in the channels' Selector while a helper thread watches the poller.
     *
     * @throws UnsupportedOperationException if no native poller is available (the message names the artifact to add)
     * @throws IllegalStateException if channels are registered and the poller cannot wait together with them (IOCP)
     * @throws java.io.UncheckedIOException if the kernel refuses the descriptor
     */
    public Registration register(int fd, int interest, IoHandler handler) {
        IoEvents.checkInterest(interest);
        Objects.requireNonNull(handler, "handler");
        return onLoopOrIdle("register", () -> io.registerFd(nextToken(), fd, interest, handler));
    }

    /**
     * Watches a non-blocking NIO channel through a {@link java.nio.channels.Selector} (the embedded default; works
     * on every OS). Loop thread, or before the loop runs.
     *
     * @param channel a channel in non-blocking mode
     * @param interest {@link IoEvents#READ} (read or accept) and/or {@link IoEvents#WRITE} (write or connect)
     * @param handler called on the loop thread with the ready set
     * @return the registration
     * @throws IllegalStateException if raw descriptors are registered and their poller cannot wait together with
     *     channels (IOCP); see {@link #register(int, int, IoHandler)}
     */
    public Registration register(SelectableChannel channel, int interest, IoHandler handler) {
        Objects.requireNonNull(channel, "channel");
        IoEvents.checkInterest(interest);
        Objects.requireNonNull(handler, "handler");
        return onLoopOrIdle("register", () -> io.registerChannel(nextToken(), channel, interest, handler));
    }

    /** @return the name of the poller in use: "epoll", "nio", or "none (park)" before any registration */
    public String pollerName() {
        return io.pollerName();
    }

    private long nextToken() {
        if (lifecycle >= STOPPING) {
            throw rejected("register");
        }
        return ids.getAndIncrement();
    }

    void modifyRegistration(Registration r, int interest) {
        onLoopOrIdle("Registration.interest", () -> {
            io.modify(r, interest);
            return null;
        });
    }

    void cancelRegistration(Registration r) {
        onLoopOrIdle("Registration.cancel", () -> {
            io.cancel(r);
            return null;
        });
    }

    void refRegistration(Registration r, boolean ref) {
        onLoopOrIdle("Registration.ref", () -> {
            io.ref(r, ref);
            return null;
        });
    }

    /** Runs loop-owned work on the loop thread, or on the caller while no thread drives the loop. */
    private <T> T onLoopOrIdle(String what, java.util.function.Supplier<T> action) {
        Thread me = Thread.currentThread();
        if (driver == me) {
            return action.get();
        }
        if (lifecycle == TERMINATED) {
            throw new IllegalStateException(what + ": the loop has terminated");
        }
        if (!DRIVER.compareAndSet(this, null, me)) {
            throw new IllegalStateException(what + " must be called on the loop thread (or before the loop runs); "
                    + "from another thread use loop.execute(() -> ...)");
        }
        try {
            return action.get();
        } finally {
            driver = null;
        }
    }

    // =================================================================== shutdown

    /**
     * Begins a graceful shutdown: no new work is accepted ({@link RejectedExecutionException}); queued tasks,
     * immediates and close callbacks run with their microtasks; off-loop work in flight is awaited; pending timers are
     * dropped; then the loop terminates. A loop that never ran is drained on a thread of its own, so nothing
     * accepted is lost. Any thread, including a callback; idempotent.
     *
     * @return completes when the loop has terminated
     */
    public CompletionStage<Void> shutdown() {
        for (;;) {
            int lc = lifecycle;
            if (lc >= STOPPING) {
                break;
            }
            if (LIFECYCLE.compareAndSet(this, lc, STOPPING)) {
                if (lc == NEW) {
                    Platform.newLoopThread(this::drainUnstarted, threadName + "-shutdown", false).start();
                } else {
                    wakeUp();
                }
                break;
            }
        }
        return termination.copy();
    }

    private void drainUnstarted() {
        try {
            run();
        } catch (IllegalStateException e) {
            // someone else drives it (a run() that raced with us): that driver drains it.
            LOG.log(System.Logger.Level.DEBUG, "shutdown drain thread not needed", e);
        }
    }

    /**
     * Stops the loop now: queued tasks, immediates and timers are discarded, pending off-loop work is rejected with
     * {@link LoopTerminatedException}, and the loop terminates after the callback running now (if any) returns.
     * Waits for termination when called from another thread. Idempotent.
     *
     * @throws IllegalStateException if called from inside a callback of this loop (use {@link #shutdown()})
     */
    @Override
    public void close() {
        if (driver == Thread.currentThread()) {
            throw new IllegalStateException("close() called from inside a callback of this loop would wait for "
                    + "itself; call shutdown() instead");
        }
        if (lifecycle == TERMINATED) {
            return;
        }
        closeRequested = true;
        ingress.close();
        for (;;) {
            if (lifecycle == TERMINATED) {
                return;
            }
            if (DRIVER.compareAndSet(this, null, Thread.currentThread())) {
                // Nobody drives the loop: terminate it here.
                try {
                    if (lifecycle != TERMINATED) {
                        terminateNow();
                    }
                } finally {
                    driver = null;
                }
                return;
            }
            wakeUp();
            try {
                termination.get(50, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // the driver may have stopped driving without terminating (an embedder between pumps): retry
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                return;
            }
        }
    }

    /**
     * Waits until the loop has terminated.
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return true if terminated, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            termination.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    /** @return a stage completed when the loop terminates */
    public CompletionStage<Void> terminationFuture() {
        return termination.copy();
    }

    private boolean isQuiescentForShutdown() {
        return localTasks.isEmpty() && liveImmediates == 0 && closeCallbacks.isEmpty() && !ingress.hasPending()
                && work.get() == 0 && ticks.isEmpty() && microtasks.isEmpty();
    }

    /** Graceful end: close the ingress, run what slipped in before it closed, then terminate. */
    private void finishShutdown() {
        ingress.close();
        while (!closeRequested && (ingress.hasPending() || !localTasks.isEmpty() || liveImmediates > 0
                || !closeCallbacks.isEmpty())) {
            runPending();
            runImmediates();
            runCloseCallbacks();
        }
        terminate();
    }

    private void terminateNow() {
        ingress.close();
        while (ingress.poll() != null) {
            // discard: close() is immediate
        }
        localTasks.clear();
        immediates.clear();
        immediateById.clear();
        liveImmediates = 0;
        closeCallbacks.clear();
        ticks.clear();
        microtasks.clear();
        dropTimers();
        terminate();
    }

    private void terminate() {
        if (lifecycle == TERMINATED) {
            return;
        }
        for (Runnable hook : terminationHooks) {
            try {
                hook.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "termination hook failed", t);
            }
        }
        io.close();
        if (manualClock != null) {
            manualClock.removeListener(clockListener);
        }
        lifecycle = TERMINATED;
        termination.complete(null);
    }

    @Override
    public String toString() {
        return "EventLoop[" + threadName + ", " + state() + "]";
    }

    /** Hook run at the end of each microtask checkpoint (unhandled-rejection tracking). */
    interface CheckpointHook {
        /** @return whether {@link #afterMicrotasks()} has anything to do */
        boolean hasWork();

        /** Runs at the end of a checkpoint, on the loop thread; may queue microtasks or ticks. */
        void afterMicrotasks();
    }

    // =================================================================== builder

    /** Builds an {@link EventLoop}. */
    public static final class Builder {
        private LoopClock clock = LoopClock.system();
        private DelayPolicy delayPolicy = DelayPolicy.NODE;
        private boolean exitWhenIdle;
        private Runnable onIdle;
        private UncaughtExceptionHandler uncaughtHandler;
        private String threadName;
        private boolean virtualThread;
        private String pollerName;
        private int maxTasksPerTurn = 1024;
        private int ingressChunkSize = 1024;

        private Builder() {
        }

        /**
         * @param clock the time source; a {@link ManualClock} makes timers deterministic
         * @return this builder
         */
        public Builder clock(LoopClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param policy how timer delays are coerced: {@link DelayPolicy#NODE} (default) or {@link DelayPolicy#HTML}
         * @return this builder
         */
        public Builder delayPolicy(DelayPolicy policy) {
            this.delayPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param exit whether {@link EventLoop#run()} ends (and the loop terminates) once nothing keeps the loop
         *     alive, as a script runner needs (libuv's {@code uv_loop_alive}); default false: run until shut down
         * @return this builder
         */
        public Builder exitWhenIdle(boolean exit) {
            this.exitWhenIdle = exit;
            return this;
        }

        /**
         * @param hook called on the loop thread each time an {@code exitWhenIdle} loop finds nothing keeping it
         *     alive, before it exits (Node's {@code beforeExit}); if the hook schedules work, the loop goes on
         * @return this builder
         */
        public Builder onIdle(Runnable hook) {
            this.onIdle = hook;
            return this;
        }

        /**
         * @param handler receives throwables escaping callbacks; default: logged through {@link System.Logger}
         * @return this builder
         */
        public Builder uncaughtExceptionHandler(UncaughtExceptionHandler handler) {
            this.uncaughtHandler = handler;
            return this;
        }

        /**
         * @param name the name of the loop's thread (with {@link EventLoop#start()}) and of the loop in messages
         * @return this builder
         */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param virtual whether {@link EventLoop#start()} runs the loop on a virtual thread (Java 21+)
         * @return this builder
         */
        public Builder virtualThread(boolean virtual) {
            this.virtualThread = virtual;
            return this;
        }

        /**
         * @param name the poller to use for native descriptors ("epoll", "kqueue", "iocp"), overriding the system
         *     property {@code eventloop4j.poller} and the priority order; null for automatic selection
         * @return this builder
         */
        public Builder poller(String name) {
            this.pollerName = name;
            return this;
        }

        /**
         * @param max the most tasks from other threads run in one pending phase (the rest wait a turn), at least 1
         * @return this builder
         */
        public Builder maxTasksPerTurn(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTasksPerTurn must be at least 1: " + max);
            }
            this.maxTasksPerTurn = max;
            return this;
        }

        /**
         * @param size slots per chunk of the cross-thread queue, a power of two in [16, 65536]; default 1024
         * @return this builder
         */
        public Builder ingressChunkSize(int size) {
            new IngressQueue(size); // validates
            this.ingressChunkSize = size;
            return this;
        }

        /** @return a new loop in state {@link LoopState#NEW} */
        public EventLoop build() {
            if (virtualThread && Runtime.version().feature() < 21) {
                throw new UnsupportedOperationException("virtualThread(true) needs Java 21 or newer; this JVM is Java "
                        + Runtime.version().feature());
            }
            return new EventLoop(this);
        }
    }
}

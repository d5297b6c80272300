package org.eventloop4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.locks.LockSupport;
import org.eventloop4j.internal.LongMap;
import org.eventloop4j.internal.Platform;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.PollerProvider;
import org.eventloop4j.spi.ReadySink;

/**
 * How the loop waits, and its I/O registrations.
 *
 * <h2>Modes</h2>
 * <ul>
 * <li>PARK: nothing registered. The loop parks with {@link LockSupport#parkNanos}; a wakeup is an unpark.</li>
 * <li>POLLER: native descriptors registered on a platform loop thread. The loop blocks in
 * {@link Poller#poll}; a wakeup is {@link Poller#wakeup()} (an eventfd write, an EVFILT_USER trigger, ...).</li>
 * <li>WATCHER: native descriptors registered and the loop runs on a <em>virtual</em> thread (Java 21 overlay). The
 * loop never blocks in native code (that would pin its carrier): it polls without blocking, then parks; a platform
 * helper thread blocks in {@link Poller#awaitReadiness} and unparks the loop when readiness is pending. A wakeup is an
 * unpark of the loop, plus a poller wakeup to release the helper when the loop stops.</li>
 * <li>OFFLOAD: as WATCHER, for pollers without {@code awaitReadiness} (IOCP): the whole blocking poll runs on a
 * platform helper thread ({@link OffloadedPoll}) while the virtual loop thread parks; a wakeup is
 * {@link Poller#wakeup()}, which ends the helper's poll, after which the helper unparks the loop.</li>
 * <li>SELECTOR: only NIO channels registered. The loop blocks in {@link Selector#select(long)}; a wakeup is
 * {@link Selector#wakeup()}. A loop on a virtual thread hands the blocking select to a platform helper
 * ({@link OffloadedPoll}) and parks until it returns: before JDK 25, a virtual thread blocked in a select pins its
 * carrier.</li>
 * <li>MIXED: NIO channels and native descriptors registered on one loop (pollers with
 * {@link Poller#awaitReadiness} only). The loop polls the poller without blocking and then blocks in the Selector; a
 * platform helper thread ({@link ReadinessWatcher}) blocks in {@code awaitReadiness} and ends the select with
 * {@link Selector#wakeup()} when a descriptor becomes ready; on a virtual loop thread the select itself is
 * offloaded as in SELECTOR. A wakeup is {@link Selector#wakeup()}.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Everything here runs on the loop thread except {@link #signal()}, called by the one producer that won the loop's
 * wakeup word. The loop writes {@code mode} (volatile) before it publishes its intent to sleep with the volatile
 * write of the wakeup word; a producer reads the word with a getAndSet and then reads {@code mode}, so it sees the
 * mode of the sleep it interrupts. A wakeup delivered to the mechanism of an earlier sleep is harmless: it only makes
 * a later wait return early, and the loop re-checks its queues after every wait.
 */
final class IoMultiplexer {
    private static final System.Logger LOG = System.getLogger("org.eventloop4j");

    static final int PARK = 0;
    static final int POLLER = 1;
    static final int WATCHER = 2;
    static final int SELECTOR = 3;
    static final int OFFLOAD = 4;
    static final int MIXED = 5;

    /**
     * How a virtual loop thread waits for native readiness: {@code watcher} (default when the poller supports
     * {@link Poller#awaitReadiness}) or {@code offload} (the blocking poll runs on a platform helper thread; the
     * default otherwise). A diagnostic switch, read once.
     */
    private static final String VIRTUAL_POLL_MODE = System.getProperty("eventloop4j.virtualPollMode", "");

    private final EventLoop loop;
    private final String pollerName;
    private final LongMap<Registration> byToken = new LongMap<>();
    private int fdCount;
    private int channelCount;
    private int refCount;
    private Poller poller;
    private String pollerProviderName;
    private Selector selector;
    private ReadinessWatcher watcher;
    private OffloadedPoll offload;
    private OffloadedPoll selectOffload;
    private volatile int mode = PARK;
    private volatile Thread sleeper;

    // Ready events collected during a poll and dispatched after it returns (handlers may cancel or close).
    private long[] readyTokens = new long[64];
    private int[] readyEvents = new int[64];
    private int readyCount;
    private final ReadySink sink = this::collect;

    /**
     * The waits a helper thread runs for a virtual loop, made here on the thread that builds the loop, together with
     * their classes: loading a class from a jar on the virtual loop thread, the first time it sleeps, can block on
     * the jar's lock while pinned to its carrier.
     */
    private final OffloadedPoll.BlockingWait offloadedPollWait = t -> poller.poll(t, sink);
    private final OffloadedPoll.BlockingWait offloadedSelectWait = this::select;
    private static final Class<?>[] WAIT_HELPERS = {OffloadedPoll.class, ReadinessWatcher.class};

    IoMultiplexer(EventLoop loop, String pollerName) {
        this.loop = loop;
        this.pollerName = pollerName;
    }

    // ---------------------------------------------------------------- registrations (loop thread)

    Registration registerFd(long token, int fd, int interest, IoHandler handler) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor must not be negative: " + fd);
        }
        Poller p = poller();
        if (channelCount > 0) {
            requireMixable(p);
        }
        Registration r = new Registration(loop, token, fd, null, interest, handler);
        try {
            p.register(fd, interest, token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register fd " + fd + " with the " + pollerProviderName + " poller: "
                    + e.getMessage(), e);
        }
        byToken.put(token, r);
        fdCount++;
        refCount++;
        return r;
    }

    Registration registerChannel(long token, SelectableChannel ch, int interest, IoHandler handler) {
        if (fdCount > 0) {
            requireMixable(poller);
        }
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("channel must be in non-blocking mode: call configureBlocking(false) first");
        }
        Registration r = new Registration(loop, token, -1, ch, interest, handler);
        try {
            if (selector == null) {
                selector = Selector.open();
            }
            r.key = ch.register(selector, toOps(ch, interest), r);
        } catch (ClosedChannelException e) {
            throw new IllegalArgumentException("channel is closed: " + ch, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Selector: " + e.getMessage(), e);
        }
        byToken.put(token, r);
        channelCount++;
        refCount++;
        return r;
    }

    private void requireMixable(Poller p) {
        if (!p.supportsAwaitReadiness()) {
            throw new IllegalStateException("the '" + pollerProviderName + "' poller cannot wait together with NIO "
                    + "channels (it has no awaitReadiness); register the channels and the raw descriptors on two loops");
        }
    }

    void modify(Registration r, int interest) {
        if (!r.active) {
            throw new IllegalStateException("registration was cancelled: " + r);
        }
        if (r.channel != null) {
            r.key.interestOps(toOps(r.channel, interest));
        } else {
            try {
                poller.modify(r.fd, interest, r.token);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot modify fd " + r.fd + ": " + e.getMessage(), e);
            }
        }
        r.interest = interest;
    }

    void cancel(Registration r) {
        if (!r.active) {
            return;
        }
        r.active = false;
        byToken.remove(r.token);
        if (r.ref) {
            refCount--;
        }
        if (r.channel != null) {
            r.key.cancel();
            channelCount--;
        } else {
            fdCount--;
            try {
                poller.unregister(r.fd);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "unregister of fd " + r.fd + " failed", e);
            }
        }
    }

    void ref(Registration r, boolean ref) {
        if (r.active && r.ref != ref) {
            r.ref = ref;
            refCount += ref ? 1 : -1;
        }
    }

    boolean hasRefs() {
        return refCount > 0;
    }

    boolean hasRegistrations() {
        return fdCount > 0 || channelCount > 0;
    }

    String pollerName() {
        return poller != null ? pollerProviderName : (selector != null ? "nio" : "none (park)");
    }

    private static int toOps(SelectableChannel ch, int interest) {
        int valid = ch.validOps();
        int ops = 0;
        if ((interest & IoEvents.READ) != 0) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((interest & IoEvents.WRITE) != 0) {
            ops |= valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        return ops;
    }

    // ---------------------------------------------------------------- poller selection

    private Poller poller() {
        if (poller == null) {
            PollerProvider p = selectProvider(pollerName);
            try {
                poller = p.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the " + p.name() + " poller: " + e.getMessage(), e);
            }
            pollerProviderName = p.name();
        }
        return poller;
    }

    /**
     * The provider for raw descriptors: the one named (builder option, else system property
     * {@code eventloop4j.poller}), else the supported one with the highest priority.
     */
    static PollerProvider selectProvider(String requested) {
        String name = requested != null ? requested : System.getProperty("eventloop4j.poller");
        List<PollerProvider> found = loadProviders();
        StringBuilder seen = new StringBuilder();
        PollerProvider best = null;
        for (PollerProvider p : found) {
            boolean supported = safeSupported(p);
            if (seen.length() > 0) {
                seen.append(", ");
            }
            seen.append(p.name()).append(supported ? " (supported)" : " (not supported here)");
            if (name != null && !name.isEmpty()) {
                if (p.name().equals(name)) {
                    if (!supported) {
                        throw new IllegalStateException("poller '" + name + "' is present but not supported on "
                                + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                                + "; pollers found: " + seen);
                    }
                    return p;
                }
            } else if (supported && (best == null || p.priority() > best.priority())) {
                best = p;
            }
        }
        if (name != null && !name.isEmpty()) {
            throw new IllegalStateException("no poller named '" + name + "'; pollers found: "
                    + (seen.length() == 0 ? "none" : seen) + ". " + ADD_A_POLLER);
        }
        if (best == null) {
            throw new UnsupportedOperationException("registering a raw file descriptor needs a native poller, and none "
                    + "is supported here (found: " + (seen.length() == 0 ? "none" : seen) + "). " + ADD_A_POLLER
                    + " Without one, the embedded default serves java.nio SelectableChannels only.");
        }
        return best;
    }

    private static final String ADD_A_POLLER = "Add org.eventloop4j:eventloop4j-poller-epoll (Linux), "
            + "eventloop4j-poller-kqueue (macOS/BSD) or eventloop4j-poller-iocp (Windows) to the class or module path.";

    static List<PollerProvider> loadProviders() {
        List<PollerProvider> out = new ArrayList<>();
        Iterator<PollerProvider> it = ServiceLoader.load(PollerProvider.class, IoMultiplexer.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "skipping a poller provider that failed to load", e);
            }
        }
        return out;
    }

    private static boolean safeSupported(PollerProvider p) {
        try {
            return p.isSupported();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "poller provider " + p.name() + " failed isSupported()", t);
            return false;
        }
    }

    // ---------------------------------------------------------------- waiting (loop thread)

    /**
     * Chooses the mechanism of the coming wait; called before the loop publishes its intent to sleep.
     *
     * @param loopThread the loop thread
     */
    void prepareWait(Thread loopThread) {
        int m;
        if (fdCount > 0 && channelCount > 0) {
            m = MIXED;
        } else if (fdCount > 0) {
            if (!Platform.isVirtual(loopThread)) {
                m = POLLER;
            } else if (poller.supportsAwaitReadiness() && !VIRTUAL_POLL_MODE.equals("offload")) {
                m = WATCHER;
            } else {
                m = OFFLOAD;
            }
        } else if (channelCount > 0) {
            m = SELECTOR;
        } else {
            m = PARK;
        }
        sleeper = loopThread;
        mode = m;
    }

    /** Wakes the loop from whatever wait {@link #prepareWait} chose. Any thread. */
    void signal() {
        switch (mode) {
            case POLLER:
            case OFFLOAD:
                poller.wakeup();
                break;
            case SELECTOR:
            case MIXED:
                selector.wakeup();
                break;
            default:
                LockSupport.unpark(sleeper);
                break;
        }
    }

    /**
     * Waits (or just checks, if {@code timeoutNanos == 0}) and dispatches ready registrations.
     *
     * @param timeoutNanos negative: no limit; 0: do not block
     */
    void await(long timeoutNanos) throws IOException {
        switch (mode) {
            case POLLER:
                poller.poll(timeoutNanos, sink);
                break;
            case WATCHER:
                if (poller.poll(0, sink) == 0 && timeoutNanos != 0) {
                    watcher().arm(Thread.currentThread(), null);
                    park(timeoutNanos);
                    poller.poll(0, sink);
                }
                break;
            case OFFLOAD:
                if (timeoutNanos == 0) {
                    poller.poll(0, sink);
                } else {
                    if (offload == null) {
                        offload = new OffloadedPoll(offloadedPollWait, loop.threadName() + "-io-poll");
                    }
                    offload.poll(timeoutNanos);
                }
                break;
            case SELECTOR:
                blockingSelect(timeoutNanos);
                break;
            case MIXED:
                if (poller.poll(0, sink) > 0 || timeoutNanos == 0) {
                    selector.selectNow();
                    collectSelected();
                } else {
                    watcher().arm(Thread.currentThread(), selector);
                    blockingSelect(timeoutNanos);
                    poller.poll(0, sink);
                }
                break;
            default:
                if (timeoutNanos != 0) {
                    park(timeoutNanos);
                }
                break;
        }
        dispatch();
    }

    private ReadinessWatcher watcher() {
        if (watcher == null) {
            watcher = new ReadinessWatcher(poller, loop.threadName() + "-io-watcher");
        }
        return watcher;
    }

    /**
     * A select that may block. A virtual loop thread hands it to a platform helper and parks (before JDK 25 a
     * virtual thread blocked in {@code Selector.select} pins its carrier); a platform loop thread selects itself.
     */
    private void blockingSelect(long timeoutNanos) throws IOException {
        if (timeoutNanos == 0 || !Platform.isVirtual(Thread.currentThread())) {
            select(timeoutNanos);
            return;
        }
        if (selectOffload == null) {
            selectOffload = new OffloadedPoll(offloadedSelectWait, loop.threadName() + "-io-select");
        }
        selectOffload.poll(timeoutNanos);
    }

    private void select(long timeoutNanos) throws IOException {
        if (timeoutNanos < 0) {
            selector.select();
        } else if (timeoutNanos == 0) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        }
        collectSelected();
    }

    private void park(long timeoutNanos) {
        if (timeoutNanos < 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, timeoutNanos);
        }
    }

    private void collect(long token, int events) {
        if (readyCount == readyTokens.length) {
            readyTokens = java.util.Arrays.copyOf(readyTokens, readyCount * 2);
            readyEvents = java.util.Arrays.copyOf(readyEvents, readyCount * 2);
        }
        readyTokens[readyCount] = token;
        readyEvents[readyCount] = events;
        readyCount++;
    }

    private void collectSelected() {
        var keys = selector.selectedKeys();
        if (keys.isEmpty()) {
            return;
        }
        for (SelectionKey k : keys) {
            Registration r = (Registration) k.attachment();
            int ev = 0;
            if (!k.isValid()) {
                ev = IoEvents.HANGUP;
            } else {
                int ready = k.readyOps();
                if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                    ev |= IoEvents.READ;
                }
                if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
                    ev |= IoEvents.WRITE;
                }
            }
            if (ev != 0) {
                collect(r.token, ev);
            }
        }
        keys.clear();
    }

    private void dispatch() {
        int n = readyCount;
        for (int i = 0; i < n; i++) {
            Registration r = byToken.get(readyTokens[i]);
            if (r != null && r.active) {
                loop.runIoCallback(r, readyEvents[i]);
            }
        }
        readyCount = 0;
    }

    /** Cancels every registration and releases kernel objects; loop thread, at termination. */
    void close() {
        List<Registration> all = new ArrayList<>();
        byToken.forEachValue(all::add);
        for (Registration r : all) {
            cancel(r);
        }
        if (watcher != null) {
            watcher.stop();
        }
        if (offload != null) {
            offload.stop();
        }
        if (selectOffload != null) {
            selectOffload.stop();
        }
        if (poller != null) {
            try {
                poller.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing poller failed", e);
            }
        }
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing selector failed", e);
            }
        }
    }
}

package org.eventloop4j.benchmarks;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.IoEventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-thread {@code execute}: JMH threads (1 or 2 producers) hand tasks to a loop, whose thread runs them.
 *
 * <p>One operation is one {@code execute} call by one producer. Each producer keeps at most {@link #WINDOW} of its
 * own tasks in flight (submitted, not yet run), so the queue cannot grow without bound and the figure is the rate at
 * which the loop <em>consumes</em> cross-thread tasks once the producer is faster, or the producer's rate otherwise.
 * The task is one pre-allocated object per producer that bumps that producer's completion counter (a release store
 * on the loop thread), so the benchmark itself allocates nothing per operation: whatever {@code gc.alloc.rate.norm}
 * shows is the loop's.
 *
 * <p>A producer re-reads its completion counter only when its window looks full. Waiting spins briefly and then
 * yields: with 2 cores, 2 producers and a loop thread, somebody has to give way.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CrossThreadExecuteBenchmark {

    /** Tasks a producer may have in flight. */
    static final int WINDOW = 1024;

    // ------------------------------------------------------------------ loops

    /** eventloop4j, no I/O registered: sleeps with park/unpark. */
    @State(Scope.Benchmark)
    public static class El4jPark {
        Fixtures.El4j fixture;

        @Setup
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
        }

        @TearDown
        public void tearDown() {
            fixture.close();
        }
    }

    /** eventloop4j with a registered pipe: sleeps in Selector.select, woken by Selector.wakeup (as Netty NIO). */
    @State(Scope.Benchmark)
    public static class El4jSelector {
        Fixtures.El4j fixture;

        @Setup
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.SELECTOR);
        }

        @TearDown
        public void tearDown() {
            fixture.close();
        }
    }

    /** Netty 4.2 SingleThreadIoEventLoop + NioIoHandler. */
    @State(Scope.Benchmark)
    public static class NettyNio {
        IoEventLoop loop;

        @Setup
        public void setUp() {
            loop = Fixtures.nettyNio();
        }

        @TearDown
        public void tearDown() {
            Fixtures.shutdown(loop);
        }
    }

    /** eventloop4j with a pipe descriptor on its epoll poller: sleeps in epoll_wait, woken by an eventfd write. */
    @State(Scope.Benchmark)
    public static class El4jEpoll {
        Fixtures.El4j fixture;
        @Setup
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.EPOLL);
        }

        @TearDown
        public void tearDown() {
            fixture.close();
        }
    }

    /** Netty 4.2 SingleThreadIoEventLoop + EpollIoHandler (JNI). */
    @State(Scope.Benchmark)
    public static class NettyEpoll {
        IoEventLoop loop;
        @Setup
        public void setUp() {
            loop = Fixtures.nettyEpoll();
        }

        @TearDown
        public void tearDown() {
            Fixtures.shutdown(loop);
        }
    }

    /** Netty 4.2 DefaultEventLoop (LinkedBlockingQueue, no I/O). */
    @State(Scope.Benchmark)
    public static class NettyDefault {
        DefaultEventLoop loop;

        @Setup
        public void setUp() {
            loop = Fixtures.nettyDefault();
        }

        @TearDown
        public void tearDown() {
            Fixtures.shutdown(loop);
        }
    }

    // ------------------------------------------------------------------ producers

    /** One producer's window; its task is reused for every submission. */
    @State(Scope.Thread)
    public static class Producer {
        final Completion task = new Completion();
        long sent;
        long seenDone;

        void submit(Executor loop) {
            if (sent - seenDone >= WINDOW) {
                awaitRoom();
            }
            sent++;
            loop.execute(task);
        }

        private void awaitRoom() {
            int spins = 0;
            while (sent - (seenDone = task.done()) >= WINDOW) {
                if (++spins < 256) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /**
     * Counts completed tasks of one producer. Protocol: only the loop thread writes {@code done} (release store
     * after a plain read of its own last write); the producer reads it with a volatile load.
     */
    static final class Completion implements Runnable {
        private static final VarHandle DONE;

        static {
            try {
                DONE = MethodHandles.lookup().findVarHandle(Completion.class, "done", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")
        private long p1, p2, p3, p4, p5, p6, p7;
        private volatile long done;
        @SuppressWarnings("unused")
        private long q1, q2, q3, q4, q5, q6, q7;

        @Override
        public void run() {
            DONE.setRelease(this, (long) DONE.get(this) + 1);
        }

        long done() {
            return done;
        }
    }

    // ------------------------------------------------------------------ 1 producer

    @Benchmark
    @Threads(1)
    public void p1_eventloop4j(El4jPark s, Producer p) {
        p.submit(s.fixture.loop);
    }

    @Benchmark
    @Threads(1)
    public void p1_eventloop4jSelector(El4jSelector s, Producer p) {
        p.submit(s.fixture.loop);
    }

    @Benchmark
    @Threads(1)
    public void p1_nettyNio(NettyNio s, Producer p) {
        p.submit(s.loop);
    }

    @Benchmark
    @Threads(1)
    public void p1_eventloop4jEpoll(El4jEpoll s, Producer p) {
        p.submit(s.fixture.loop);
    }

    @Benchmark
    @Threads(1)
    public void p1_nettyEpoll(NettyEpoll s, Producer p) {
        p.submit(s.loop);
    }

    @Benchmark
    @Threads(1)
    public void p1_nettyDefault(NettyDefault s, Producer p) {
        p.submit(s.loop);
    }

    // ------------------------------------------------------------------ 2 producers

    @Benchmark
    @Threads(2)
    public void p2_eventloop4j(El4jPark s, Producer p) {
        p.submit(s.fixture.loop);
    }

    @Benchmark
    @Threads(2)
    public void p2_eventloop4jSelector(El4jSelector s, Producer p) {
        p.submit(s.fixture.loop);
    }

    @Benchmark
    @Threads(2)
    public void p2_nettyNio(NettyNio s, Producer p) {
        p.submit(s.loop);
    }

    @Benchmark
    @Threads(2)
    public void p2_eventloop4jEpoll(El4jEpoll s, Producer p) {
        p.submit(s.fixture.loop);
    }

    @Benchmark
    @Threads(2)
    public void p2_nettyEpoll(NettyEpoll s, Producer p) {
        p.submit(s.loop);
    }

    @Benchmark
    @Threads(2)
    public void p2_nettyDefault(NettyDefault s, Producer p) {
        p.submit(s.loop);
    }
}

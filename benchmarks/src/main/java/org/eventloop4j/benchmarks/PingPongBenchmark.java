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
 * Round trip between a foreign thread and the loop: the JMH thread {@code execute}s a task and spins until the
 * task's release store of a sequence number is visible. The loop is idle (asleep) when each ping arrives, so the
 * figure includes waking it: {@code unpark} for eventloop4j without I/O and for Netty's DefaultEventLoop (a
 * condition signal), {@code Selector.wakeup()} for Netty NIO and eventloop4j with a registered channel, an eventfd
 * write for Netty epoll and eventloop4j on its epoll poller.
 *
 * <p>Sample mode: JMH times individual round trips, so the result carries percentiles. On a shared machine the mean
 * is dominated by the rare round trip whose wakeup waited for a CPU; the median (p0.50) is the steadier figure.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class PingPongBenchmark {

    /** The pong: protocol: only the loop thread writes {@code acked} (release), the JMH thread reads it (volatile). */
    static final class Pong implements Runnable {
        private static final VarHandle ACKED;

        static {
            try {
                ACKED = MethodHandles.lookup().findVarHandle(Pong.class, "acked", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")
        private long p1, p2, p3, p4, p5, p6, p7;
        private volatile long acked;
        @SuppressWarnings("unused")
        private long q1, q2, q3, q4, q5, q6, q7;
        /** JMH thread only. */
        private long sent;

        @Override
        public void run() {
            ACKED.setRelease(this, (long) ACKED.get(this) + 1);
        }

        long roundTrip(Executor loop) {
            long expect = ++sent;
            loop.execute(this);
            long a;
            while ((a = acked) < expect) {
                Thread.onSpinWait();
            }
            return a;
        }
    }

    @State(Scope.Benchmark)
    public static class El4jPark {
        Fixtures.El4j fixture;
        final Pong pong = new Pong();

        @Setup
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
        }

        @TearDown
        public void tearDown() {
            fixture.close();
        }
    }

    @State(Scope.Benchmark)
    public static class El4jSelector {
        Fixtures.El4j fixture;
        final Pong pong = new Pong();

        @Setup
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.SELECTOR);
        }

        @TearDown
        public void tearDown() {
            fixture.close();
        }
    }

    @State(Scope.Benchmark)
    public static class NettyNio {
        IoEventLoop loop;
        final Pong pong = new Pong();

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
        final Pong pong = new Pong();

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
        final Pong pong = new Pong();

        @Setup
        public void setUp() {
            loop = Fixtures.nettyEpoll();
        }

        @TearDown
        public void tearDown() {
            Fixtures.shutdown(loop);
        }
    }

    @State(Scope.Benchmark)
    public static class NettyDefault {
        DefaultEventLoop loop;
        final Pong pong = new Pong();

        @Setup
        public void setUp() {
            loop = Fixtures.nettyDefault();
        }

        @TearDown
        public void tearDown() {
            Fixtures.shutdown(loop);
        }
    }

    @Benchmark
    public long eventloop4j(El4jPark s) {
        return s.pong.roundTrip(s.fixture.loop);
    }

    @Benchmark
    public long eventloop4jSelector(El4jSelector s) {
        return s.pong.roundTrip(s.fixture.loop);
    }

    @Benchmark
    public long nettyNio(NettyNio s) {
        return s.pong.roundTrip(s.loop);
    }

    @Benchmark
    public long eventloop4jEpoll(El4jEpoll s) {
        return s.pong.roundTrip(s.fixture.loop);
    }

    @Benchmark
    public long nettyEpoll(NettyEpoll s) {
        return s.pong.roundTrip(s.loop);
    }

    @Benchmark
    public long nettyDefault(NettyDefault s) {
        return s.pong.roundTrip(s.loop);
    }
}

package org.eventloop4j.benchmarks;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.IoEventLoop;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code execute} on the loop thread: a task that schedules the next one (a self-rescheduling chain), running
 * continuously on the loop thread. One operation is one {@code execute} plus running the task it queued; the JMH
 * thread only observes the chain's progress (see {@link Progress}).
 *
 * <p>eventloop4j runs tasks queued on the loop thread in the <em>next</em> turn (as libuv does), so each link of
 * the chain pays one turn of the loop. Netty's loops run tasks queued by a running task in the same
 * {@code runAllTasks} pass.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class LoopThreadExecuteBenchmark {

    /** The chain's link: counts itself and re-queues itself on {@code loop} until stopped. */
    static final class Chain implements Runnable {
        final Progress progress = new Progress();
        private final Executor loop;

        Chain(Executor loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            progress.tick();
            if (!progress.stopped()) {
                loop.execute(this);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class El4j {
        Fixtures.El4j fixture;
        Chain chain;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
            EventLoop loop = fixture.loop;
            chain = new Chain(loop);
            Fixtures.runOn(loop, chain.progress::bindLoopThread);
            loop.execute(chain);
        }

        @Setup(Level.Iteration)
        public void resync() {
            chain.progress.resync();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            chain.progress.stop();
            fixture.close();
        }
    }

    @State(Scope.Benchmark)
    public static class NettyNio {
        IoEventLoop loop;
        Chain chain;

        @Setup(Level.Trial)
        public void setUp() {
            loop = Fixtures.nettyNio();
            chain = new Chain(loop);
            Fixtures.runOn(loop, chain.progress::bindLoopThread);
            loop.execute(chain);
        }

        @Setup(Level.Iteration)
        public void resync() {
            chain.progress.resync();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            chain.progress.stop();
            Fixtures.shutdown(loop);
        }
    }

    @State(Scope.Benchmark)
    public static class NettyDefault {
        DefaultEventLoop loop;
        Chain chain;

        @Setup(Level.Trial)
        public void setUp() {
            loop = Fixtures.nettyDefault();
            chain = new Chain(loop);
            Fixtures.runOn(loop, chain.progress::bindLoopThread);
            loop.execute(chain);
        }

        @Setup(Level.Iteration)
        public void resync() {
            chain.progress.resync();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            chain.progress.stop();
            Fixtures.shutdown(loop);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void eventloop4j(El4j s, LoopCpu cpu) {
        s.chain.progress.awaitBatch();
        cpu.sample(s.chain.progress);
    }

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void nettyNio(NettyNio s, LoopCpu cpu) {
        s.chain.progress.awaitBatch();
        cpu.sample(s.chain.progress);
    }

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void nettyDefault(NettyDefault s, LoopCpu cpu) {
        s.chain.progress.awaitBatch();
        cpu.sample(s.chain.progress);
    }
}

package org.eventloop4j.benchmarks;

import io.netty.channel.IoEventLoop;
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
 * {@code queueMicrotask} on the loop thread: a microtask that queues the next one, running continuously (one
 * checkpoint that never drains until tear-down). One operation is one {@code queueMicrotask} plus running it.
 *
 * <p>Netty has no microtask queue. Its closest operation is {@code execute} from the loop thread, which the
 * {@code nettyNioExecute} variant measures with the same self-rescheduling shape (and which
 * {@link LoopThreadExecuteBenchmark} measures too). The comparison is therefore "the cheapest way to run a
 * continuation on the loop thread" in each library, not the same semantics.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class MicrotaskBenchmark {

    /** A microtask that counts itself and queues itself again until stopped. */
    static final class MicrotaskChain implements Runnable {
        final Progress progress = new Progress();
        private final EventLoop loop;

        MicrotaskChain(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            progress.tick();
            if (!progress.stopped()) {
                loop.queueMicrotask(this);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class El4j {
        Fixtures.El4j fixture;
        MicrotaskChain chain;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
            chain = new MicrotaskChain(fixture.loop);
            Fixtures.runOn(fixture.loop, chain.progress::bindLoopThread);
            // Started from a task so that the first queueMicrotask runs on the loop thread.
            fixture.loop.execute(() -> fixture.loop.queueMicrotask(chain));
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
        LoopThreadExecuteBenchmark.Chain chain;

        @Setup(Level.Trial)
        public void setUp() {
            loop = Fixtures.nettyNio();
            chain = new LoopThreadExecuteBenchmark.Chain(loop);
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
    public void nettyNioExecute(NettyNio s, LoopCpu cpu) {
        s.chain.progress.awaitBatch();
        cpu.sample(s.chain.progress);
    }
}

package org.eventloop4j.benchmarks;

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
 * {@code setImmediate} on the loop thread: an immediate that sets the next one, so each runs in the check phase of
 * the following turn (one whole loop turn per operation). One operation is one {@code setImmediate} plus the turn
 * that runs it. Measures the per-turn cost and that an immediate set on the loop thread allocates nothing (its
 * record is pooled).
 *
 * <p>Netty has no check phase. Its closest operation is {@code execute} from the loop thread, which the
 * {@code nettyNioExecute} variant measures with the same self-rescheduling shape.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class ImmediateBenchmark {

    /** An immediate that counts itself and sets itself again until stopped. */
    static final class ImmediateChain implements Runnable {
        final Progress progress = new Progress();
        private final EventLoop loop;

        ImmediateChain(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            progress.tick();
            if (!progress.stopped()) {
                loop.setImmediate(this);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class El4j {
        Fixtures.El4j fixture;
        ImmediateChain chain;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
            chain = new ImmediateChain(fixture.loop);
            Fixtures.runOn(fixture.loop, chain.progress::bindLoopThread);
            // Started from a task so that the first setImmediate runs on the loop thread.
            fixture.loop.execute(() -> fixture.loop.setImmediate(chain));
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

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void eventloop4j(El4j s, LoopCpu cpu) {
        s.chain.progress.awaitBatch();
        cpu.sample(s.chain.progress);
    }

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void nettyNioExecute(MicrotaskBenchmark.NettyNio s, LoopCpu cpu) {
        s.chain.progress.awaitBatch();
        cpu.sample(s.chain.progress);
    }
}

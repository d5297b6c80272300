package org.eventloop4j.benchmarks;

import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Timer schedule + cancel on the loop thread: {@code setTimeout(task, 1000)} then {@code clearTimeout(id)} in
 * eventloop4j, {@code schedule(task, 1000, ms)} then {@code cancel(false)} in Netty. One operation is one pair.
 *
 * <p>A loop task performs {@link Progress#BATCH} pairs and re-queues itself, so the loop turns between batches
 * (that overhead is spread over 1024 pairs). {@code background} timers, due in an hour, sit in the heap the whole
 * time so that insertion and removal walk a heap of realistic depth (1000 timers: 5 levels of a 4-ary heap, 10 of
 * a binary one); the new timer (due in 1 s) is the earliest, so it climbs to the root and is removed from there.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class TimerBenchmark {

    static final Runnable NOOP = () -> { };

    @State(Scope.Benchmark)
    public static class El4j {
        @Param({"0", "1000"})
        int background;

        Fixtures.El4j fixture;
        final Progress progress = new Progress();

        @Setup(Level.Trial)
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
            EventLoop loop = fixture.loop;
            Fixtures.runOn(loop, () -> {
                progress.bindLoopThread();
                for (int i = 0; i < background; i++) {
                    loop.setTimeout(NOOP, 3_600_000L);
                }
            });
            loop.execute(new Runnable() {
                @Override
                public void run() {
                    for (int i = 0; i < Progress.BATCH; i++) {
                        long id = loop.setTimeout(NOOP, 1000);
                        loop.clearTimeout(id);
                    }
                    progress.batchDone();
                    if (!progress.stopped()) {
                        loop.execute(this);
                    }
                }
            });
        }

        @Setup(Level.Iteration)
        public void resync() {
            progress.resync();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            progress.stop();
            fixture.close();
        }
    }

    @State(Scope.Benchmark)
    public static class NettyNio {
        @Param({"0", "1000"})
        int background;

        IoEventLoop loop;
        final Progress progress = new Progress();

        @Setup(Level.Trial)
        public void setUp() {
            IoEventLoop l = loop = Fixtures.nettyNio();
            Fixtures.runOn(l, () -> {
                progress.bindLoopThread();
                for (int i = 0; i < background; i++) {
                    l.schedule(NOOP, 1, TimeUnit.HOURS);
                }
            });
            l.execute(new Runnable() {
                @Override
                public void run() {
                    for (int i = 0; i < Progress.BATCH; i++) {
                        ScheduledFuture<?> f = l.schedule(NOOP, 1000, TimeUnit.MILLISECONDS);
                        f.cancel(false);
                    }
                    progress.batchDone();
                    if (!progress.stopped()) {
                        l.execute(this);
                    }
                }
            });
        }

        @Setup(Level.Iteration)
        public void resync() {
            progress.resync();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            progress.stop();
            Fixtures.shutdown(loop);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void eventloop4j(El4j s, LoopCpu cpu) {
        s.progress.awaitBatch();
        cpu.sample(s.progress);
    }

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void nettyNio(NettyNio s, LoopCpu cpu) {
        s.progress.awaitBatch();
        cpu.sample(s.progress);
    }
}

package org.eventloop4j.benchmarks;

import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
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
 * Promise chains on the loop thread. One operation is one link of a chain: registering a continuation on a pending
 * promise, and later settling the promise it derives when the previous link settles.
 *
 * <p>A loop task builds a chain of {@link Progress#BATCH} links on a pending root, appends a final link that counts
 * the batch and re-queues the task, then settles the root; the chain then settles link by link:
 * <ul>
 * <li>eventloop4j: {@code p = p.then(v -> v)}; each link runs as a microtask in the checkpoint that follows the
 * task (Promises/A+: always asynchronous).</li>
 * <li>Netty 4.2: {@code DefaultPromise} per link, chained with {@code addListener(f -> next.setSuccess(f.getNow()))}
 * on a NIO loop. Netty notifies listeners synchronously on the loop thread up to 8 nested levels, then hands the
 * rest of the chain to the loop as a task (its stack-depth guard), so this chain exercises both paths.</li>
 * <li>{@code CompletableFuture}: {@code cf = cf.thenApply(v -> v)}, completed on an eventloop4j loop thread; it runs
 * dependents synchronously in the completing thread (no loop involved at all).</li>
 * </ul>
 * The handler returns its argument, so no value is boxed; what {@code gc.alloc.rate.norm} shows is the chain's
 * own cost per link.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class PromiseThenBenchmark {

    static final Object VALUE = "value";
    static final Promise.Handler<Object, Object> IDENTITY = v -> v;
    static final Function<Object, Object> IDENTITY_FN = v -> v;

    @State(Scope.Benchmark)
    public static class El4j {
        Fixtures.El4j fixture;
        final Progress progress = new Progress();

        @Setup(Level.Trial)
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
            EventLoop loop = fixture.loop;
            Fixtures.runOn(loop, progress::bindLoopThread);
            loop.execute(new Runnable() {
                @Override
                public void run() {
                    Promise.Resolvers<Object> root = Promise.withResolvers(loop);
                    Promise<Object> p = root.promise();
                    for (int i = 0; i < Progress.BATCH; i++) {
                        p = p.then(IDENTITY);
                    }
                    Runnable again = this;
                    p.then(v -> {
                        progress.batchDone();
                        if (!progress.stopped()) {
                            loop.execute(again);
                        }
                        return null;
                    });
                    root.resolve(VALUE);
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

    /** One link of a Netty chain: completes the next promise with this one's value. */
    static final class Link implements GenericFutureListener<Future<Object>> {
        private final io.netty.util.concurrent.Promise<Object> next;

        Link(io.netty.util.concurrent.Promise<Object> next) {
            this.next = next;
        }

        @Override
        public void operationComplete(Future<Object> f) {
            next.setSuccess(f.getNow());
        }
    }

    @State(Scope.Benchmark)
    public static class NettyNio {
        IoEventLoop loop;
        final Progress progress = new Progress();

        @Setup(Level.Trial)
        public void setUp() {
            IoEventLoop l = loop = Fixtures.nettyNio();
            Fixtures.runOn(l, progress::bindLoopThread);
            l.execute(new Runnable() {
                @Override
                public void run() {
                    DefaultPromise<Object> root = new DefaultPromise<>(l);
                    io.netty.util.concurrent.Promise<Object> p = root;
                    for (int i = 0; i < Progress.BATCH; i++) {
                        DefaultPromise<Object> next = new DefaultPromise<>(l);
                        p.addListener(new Link(next));
                        p = next;
                    }
                    Runnable again = this;
                    p.addListener(f -> {
                        progress.batchDone();
                        if (!progress.stopped()) {
                            l.execute(again);
                        }
                    });
                    root.setSuccess(VALUE);
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

    @State(Scope.Benchmark)
    public static class Cf {
        Fixtures.El4j fixture;
        final Progress progress = new Progress();

        @Setup(Level.Trial)
        public void setUp() {
            fixture = Fixtures.eventLoop4j(Fixtures.Wait.PARK);
            EventLoop loop = fixture.loop;
            Fixtures.runOn(loop, progress::bindLoopThread);
            loop.execute(new Runnable() {
                @Override
                public void run() {
                    CompletableFuture<Object> root = new CompletableFuture<>();
                    CompletableFuture<Object> p = root;
                    for (int i = 0; i < Progress.BATCH; i++) {
                        p = p.thenApply(IDENTITY_FN);
                    }
                    Runnable again = this;
                    p.thenRun(() -> {
                        progress.batchDone();
                        if (!progress.stopped()) {
                            loop.execute(again);
                        }
                    });
                    root.complete(VALUE);
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

    @Benchmark
    @OperationsPerInvocation(Progress.BATCH)
    public void completableFuture(Cf s, LoopCpu cpu) {
        s.progress.awaitBatch();
        cpu.sample(s.progress);
    }
}

package org.eventloop4j.benchmarks;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.Version;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Pipe;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.IoEvents;

/**
 * Creates and stops the loops under test, each on a thread of its own.
 *
 * <ul>
 * <li>{@link #eventLoop4j(boolean)}: {@link EventLoop#start()}; with {@code selector == true} a never-ready pipe is
 * registered first, so the loop sleeps in {@link java.nio.channels.Selector#select} and is woken by
 * {@link java.nio.channels.Selector#wakeup()}, exactly as Netty's NIO loop is. Without it the loop has no I/O and
 * sleeps with {@link java.util.concurrent.locks.LockSupport#park}.</li>
 * <li>{@link #nettyNio()}: Netty 4.2's {@code SingleThreadIoEventLoop} with {@code NioIoHandler}, the loop every
 * Netty NIO server runs (a JCTools MPSC task queue, a selector wakeup guarded by a CAS).</li>
 * <li>{@link #nettyDefault()}: Netty's {@code DefaultEventLoop}, a loop without I/O over a
 * {@code LinkedBlockingQueue}; the closest peer of an eventloop4j loop that has no I/O registered.</li>
 * </ul>
 */
final class Fixtures {
    private Fixtures() {
    }

    /** An eventloop4j loop running on its own platform thread, plus the pipe that keeps it in selector mode. */
    static final class El4j implements AutoCloseable {
        final EventLoop loop;
        private final Pipe pipe;

        El4j(boolean selector) {
            loop = EventLoop.builder().threadName("el4j-bench").build();
            if (selector) {
                try {
                    pipe = Pipe.open();
                    pipe.source().configureBlocking(false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                // Registered before start(): allowed while no thread drives the loop.
                loop.register(pipe.source(), IoEvents.READ, (r, ready) -> {
                    throw new AssertionError("the benchmark pipe is never written");
                });
            } else {
                pipe = null;
            }
            loop.start();
            awaitRun(loop);
            System.err.println("# eventloop4j " + EventLoop.runtimeVariant() + " variant, waits with: " + loop.pollerName());
        }

        @Override
        public void close() {
            loop.close();
            if (pipe != null) {
                try {
                    pipe.source().close();
                    pipe.sink().close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    static El4j eventLoop4j(boolean selector) {
        return new El4j(selector);
    }

    /** @return the one loop of a fresh one-thread NIO group, its thread started */
    static IoEventLoop nettyNio() {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        IoEventLoop loop = group.next();
        awaitRun(loop);
        describeNetty();
        return loop;
    }

    /** @return a DefaultEventLoop, its thread started */
    static DefaultEventLoop nettyDefault() {
        DefaultEventLoop loop = new DefaultEventLoop();
        awaitRun(loop);
        describeNetty();
        return loop;
    }

    /** Prints (into JMH's log) whether Netty runs with sun.misc.Unsafe, which selects its JCTools queue flavour. */
    private static void describeNetty() {
        System.err.println("# netty " + Version.identify().getOrDefault("netty-common", null)
                + ", sun.misc.Unsafe in use: " + PlatformDependent.hasUnsafe()
                + (PlatformDependent.hasUnsafe() ? "" : " (" + PlatformDependent.getUnsafeUnavailabilityCause() + ")"));
    }

    /** Shuts a Netty executor (and its group) down and waits. */
    static void shutdown(EventExecutor loop) {
        EventExecutorGroup group = loop.parent() != null ? loop.parent() : loop;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Runs a task on {@code loop} and waits for it: starts lazily started threads and proves the loop runs. */
    static void awaitRun(Executor loop) {
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        try {
            if (!ran.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("loop did not run a task within 30 s: " + loop);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code action} on {@code loop} and waits for it to finish. */
    static void runOn(Executor loop, Runnable action) {
        CountDownLatch ran = new CountDownLatch(1);
        RuntimeException[] failure = new RuntimeException[1];
        loop.execute(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                failure[0] = e;
            } finally {
                ran.countDown();
            }
        });
        try {
            if (!ran.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("loop did not run a task within 30 s: " + loop);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}

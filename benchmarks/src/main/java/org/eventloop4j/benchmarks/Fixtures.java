package org.eventloop4j.benchmarks;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.unix.FileDescriptor;
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
import org.eventloop4j.IoHandler;

/**
 * Creates and stops the loops under test, each on a thread of its own.
 *
 * <ul>
 * <li>{@link #eventLoop4j(Wait)}: {@link EventLoop#start()}, with nothing registered ({@link Wait#PARK}: it sleeps
 * with {@link java.util.concurrent.locks.LockSupport#park}), a never-ready NIO pipe ({@link Wait#SELECTOR}: it sleeps
 * in {@link java.nio.channels.Selector#select} and is woken by {@link java.nio.channels.Selector#wakeup()}, exactly as
 * Netty's NIO loop is) or a never-ready pipe descriptor on its epoll poller ({@link Wait#EPOLL}: {@code epoll_wait},
 * woken by an eventfd write, as Netty's epoll loop is).</li>
 * <li>{@link #nettyNio()}: Netty 4.2's {@code SingleThreadIoEventLoop} with {@code NioIoHandler}, the loop every
 * Netty NIO server runs (a JCTools MPSC task queue, a selector wakeup guarded by a CAS).</li>
 * <li>{@link #nettyEpoll()}: the same with {@code EpollIoHandler} (Netty's JNI epoll transport).</li>
 * <li>{@link #nettyDefault()}: Netty's {@code DefaultEventLoop}, a loop without I/O over a
 * {@code LinkedBlockingQueue}; the closest peer of an eventloop4j loop that has no I/O registered.</li>
 * </ul>
 */
final class Fixtures {
    private Fixtures() {
    }

    /** How an eventloop4j loop under test waits for work. */
    enum Wait {
        /** No I/O registered: {@code LockSupport.park}, woken by {@code unpark}. */
        PARK,
        /** A never-ready NIO pipe registered: {@code Selector.select}, woken by {@code Selector.wakeup()}. */
        SELECTOR,
        /** A never-ready pipe descriptor on the epoll poller: {@code epoll_wait}, woken by an eventfd write. */
        EPOLL
    }

    /** An eventloop4j loop running on its own platform thread, plus the pipe that selects its wait mechanism. */
    static final class El4j implements AutoCloseable {
        final EventLoop loop;
        private final Pipe pipe;
        private final FileDescriptor[] fdPipe;

        El4j(Wait wait) {
            EventLoop.Builder b = EventLoop.builder().threadName("el4j-bench");
            if (wait == Wait.EPOLL) {
                b.poller("epoll");
            }
            loop = b.build();
            IoHandler never = (r, ready) -> {
                throw new AssertionError("the benchmark pipe is never written");
            };
            // Registered before start(): allowed while no thread drives the loop.
            switch (wait) {
                case SELECTOR:
                    try {
                        pipe = Pipe.open();
                        pipe.source().configureBlocking(false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    loop.register(pipe.source(), IoEvents.READ, never);
                    fdPipe = null;
                    break;
                case EPOLL:
                    fdPipe = nativePipe();
                    loop.register(fdPipe[0].intValue(), IoEvents.READ, never);
                    pipe = null;
                    break;
                default:
                    pipe = null;
                    fdPipe = null;
                    break;
            }
            loop.start();
            awaitRun(loop);
            System.err.println("# eventloop4j " + EventLoop.runtimeVariant() + " variant, waits with: " + loop.pollerName());
        }

        @Override
        public void close() {
            loop.close();
            try {
                if (pipe != null) {
                    pipe.source().close();
                    pipe.sink().close();
                }
                if (fdPipe != null) {
                    fdPipe[0].close();
                    fdPipe[1].close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static El4j eventLoop4j(Wait wait) {
        return new El4j(wait);
    }

    /** A pipe as raw descriptors, made by Netty's native library (which the Netty epoll variants load anyway). */
    private static FileDescriptor[] nativePipe() {
        Epoll.ensureAvailability();
        try {
            return FileDescriptor.pipe();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the one loop of a fresh one-thread epoll group (Netty's native transport), its thread started */
    static IoEventLoop nettyEpoll() {
        Epoll.ensureAvailability();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        IoEventLoop loop = group.next();
        awaitRun(loop);
        describeNetty();
        return loop;
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

package org.eventloop4j.poller.epoll;

import java.io.IOException;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.PollerProvider;
import org.eventloop4j.spi.ReadySink;

/**
 * Test-only provider {@code epoll-no-await}: a real epoll poller that does not offer {@code awaitReadiness}, as IOCP
 * does not, so the loop's handling of such pollers (no mixing with NIO channels) can be tested on Linux. Lowest
 * priority: it is used only when a test names it.
 */
public final class NoAwaitEpollProvider implements PollerProvider {
    @Override
    public String name() {
        return "epoll-no-await";
    }

    @Override
    public boolean isSupported() {
        return new EpollPollerProvider().isSupported();
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Poller open() throws IOException {
        Poller p = new EpollPollerProvider().open();
        return new Poller() {
            @Override
            public void register(int fd, int interest, long token) throws IOException {
                p.register(fd, interest, token);
            }

            @Override
            public void modify(int fd, int interest, long token) throws IOException {
                p.modify(fd, interest, token);
            }

            @Override
            public void unregister(int fd) throws IOException {
                p.unregister(fd);
            }

            @Override
            public int poll(long timeoutNanos, ReadySink sink) throws IOException {
                return p.poll(timeoutNanos, sink);
            }

            @Override
            public void wakeup() {
                p.wakeup();
            }

            @Override
            public void close() throws IOException {
                p.close();
            }
        };
    }
}

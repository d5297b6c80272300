package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.eventloop4j.IoEvents;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.PollerProvider;
import org.junit.jupiter.api.Test;

class EpollPollerProviderTest {

    @Test
    void isFoundByServiceLoaderOnTheClassPath() {
        List<PollerProvider> providers = ServiceLoader.load(PollerProvider.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList());
        assertThat(providers).filteredOn(p -> p instanceof EpollPollerProvider).hasSize(1);
        PollerProvider epoll = providers.stream().filter(p -> p.name().equals("epoll")).findFirst().orElseThrow();
        assertThat(epoll.priority()).isEqualTo(100);
        assertThat(epoll.isSupported()).isTrue();
    }

    @Test
    void isUnsupportedOffLinuxWithAReason() {
        assertThat(EpollPollerProvider.probe("Mac OS X")).contains("only on Linux").contains("Mac OS X");
        assertThat(EpollPollerProvider.probe("Windows 11")).contains("only on Linux");
        assertThat(EpollPollerProvider.probe("FreeBSD")).contains("only on Linux");
        assertThat(EpollPollerProvider.probe("Linux")).isNull();
    }

    @Test
    void opensAWorkingPoller() throws IOException {
        EpollPollerProvider provider = new EpollPollerProvider();
        assertThat(provider.toString()).contains("epoll").contains("supported=true");
        try (TestDescriptors fds = new TestDescriptors(); Poller poller = provider.open()) {
            assertThat(poller).isInstanceOf(EpollPoller.class);
            int fd = fds.eventFd(1);
            poller.register(fd, IoEvents.READ, 5);
            long[] seen = new long[2];
            assertThat(poller.poll(0, (token, events) -> {
                seen[0] = token;
                seen[1] = events;
            })).isEqualTo(1);
            assertThat(seen).containsExactly(5, IoEvents.READ);
            poller.unregister(fd);
        }
    }

    @Test
    void eachOpenIsAnIndependentPoller() throws IOException {
        EpollPollerProvider provider = new EpollPollerProvider();
        try (TestDescriptors fds = new TestDescriptors(); Poller a = provider.open(); Poller b = provider.open()) {
            int fd = fds.eventFd(1);
            a.register(fd, IoEvents.READ, 1);
            assertThat(a.poll(0, (t, e) -> { })).isEqualTo(1);
            assertThat(b.poll(0, (t, e) -> { })).isZero();
            b.wakeup();
            assertThat(a.poll(0, (t, e) -> { })).as("b's wakeup is not a's").isEqualTo(1);
        }
    }
}

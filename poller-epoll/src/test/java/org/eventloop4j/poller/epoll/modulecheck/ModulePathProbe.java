package org.eventloop4j.poller.epoll.modulecheck;

import java.util.ServiceLoader;
import org.eventloop4j.spi.Poller;
import org.eventloop4j.spi.PollerProvider;

/**
 * Run by {@code ModulePathSmokeTest} in a child JVM whose module path holds the core, JNA and this poller: finds
 * the provider through the module descriptors, opens a poller and does a wakeup round trip. This class is on the
 * class path, in a package of its own (a class-path class in the module's package would be hidden by it).
 */
public final class ModulePathProbe {
    private ModulePathProbe() {
    }

    public static void main(String[] args) throws Exception {
        PollerProvider epoll = ServiceLoader.load(PollerProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("epoll")).findFirst()
                .orElseThrow(() -> new AssertionError("no epoll provider on the module path"));
        if (!epoll.isSupported()) {
            throw new AssertionError("epoll not supported on the module path: " + epoll);
        }
        try (Poller poller = epoll.open()) {
            poller.wakeup();
            int reports = poller.poll(-1, (token, events) -> {
                throw new AssertionError("unexpected report " + token);
            });
            System.out.println("OK " + epoll.name() + " " + epoll.getClass().getModule().getName() + " reports="
                    + reports + " exported=" + epoll.getClass().getModule().isExported(
                            epoll.getClass().getPackageName()));
        }
    }
}

package org.eventloop4j.spi;

import java.io.IOException;

/**
 * A factory for {@link Poller}s, found at run time with {@link java.util.ServiceLoader}.
 *
 * <p>A poller jar declares {@code provides org.eventloop4j.spi.PollerProvider with ...} in its
 * {@code module-info} <em>and</em> ships {@code META-INF/services/org.eventloop4j.spi.PollerProvider}, so it is
 * found on the module path and on the class path alike.
 *
 * <p>The loop picks the supported provider with the highest {@link #priority()}, unless one is named by
 * {@code EventLoop.Builder.poller(String)} or the system property {@code eventloop4j.poller}. The embedded default
 * ({@code "nio"}, priority 0) is always present.
 *
 * <p>Implementations must be cheap to construct: a provider is instantiated on every platform, so its constructor
 * and {@link #isSupported()} must not load native libraries or touch platform-specific classes when running on
 * a platform the provider does not serve.
 */
public interface PollerProvider {

    /**
     * The short name used to select this provider, for example {@code "epoll"}.
     *
     * @return a stable, lower-case name
     */
    String name();

    /**
     * Whether this provider can open a poller on the running platform. Must never throw and never crash the JVM.
     *
     * @return {@code true} if {@link #open()} is expected to succeed here
     */
    boolean isSupported();

    /**
     * Ranks supported providers; the highest wins. The embedded default has priority 0; native pollers use 100.
     *
     * @return the priority
     */
    int priority();

    /**
     * Opens a new poller, owned by one loop.
     *
     * @return the poller
     * @throws IOException if the kernel object cannot be created
     * @throws UnsupportedOperationException if {@link #isSupported()} is false
     */
    Poller open() throws IOException;
}

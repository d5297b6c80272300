/**
 * The kqueue poller for macOS and FreeBSD (64-bit), over JNA direct mapping.
 *
 * <p>Found by {@link java.util.ServiceLoader} as the provider named {@code "kqueue"}; on any other platform it reports
 * itself unsupported without loading a native library.
 */
module org.eventloop4j.poller.kqueue {
    requires org.eventloop4j;
    requires com.sun.jna;

    provides org.eventloop4j.spi.PollerProvider with org.eventloop4j.poller.kqueue.KqueuePollerProvider;
}

/**
 * The Windows poller: socket readiness through {@code IOCTL_AFD_POLL} completions on an I/O completion port (the
 * technique of wepoll and mio), over JNA direct mapping.
 *
 * <p>Found by {@link java.util.ServiceLoader} as the provider named {@code "iocp"}; on any other platform it reports
 * itself unsupported without loading a native library.
 */
module org.eventloop4j.poller.iocp {
    requires org.eventloop4j;
    requires com.sun.jna;

    provides org.eventloop4j.spi.PollerProvider with org.eventloop4j.poller.iocp.IocpPollerProvider;
}

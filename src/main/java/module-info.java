/**
 * eventloop4j: the event loop of JavaScript and Node.js for the JVM.
 *
 * <p>{@code org.eventloop4j} holds the loop, promises, timers and cancellation; {@code org.eventloop4j.spi} is for
 * implementers of native pollers, which are found with {@link java.util.ServiceLoader}.
 */
module org.eventloop4j {
    exports org.eventloop4j;
    exports org.eventloop4j.spi;
    // The IOCP poller maps completion addresses to sockets with the loop's primitive map (no boxing per completion).
    exports org.eventloop4j.internal to org.eventloop4j.poller.iocp;

    uses org.eventloop4j.spi.PollerProvider;
}

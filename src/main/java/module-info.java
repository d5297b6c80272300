/**
 * eventloop4j: the event loop of JavaScript and Node.js for the JVM.
 *
 * <p>{@code org.eventloop4j} holds the loop, promises, timers and cancellation; {@code org.eventloop4j.spi} is for
 * implementers of native pollers, which are found with {@link java.util.ServiceLoader}.
 */
module org.eventloop4j {
    exports org.eventloop4j;
    exports org.eventloop4j.spi;

    uses org.eventloop4j.spi.PollerProvider;
}

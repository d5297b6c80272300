/**
 * The Linux epoll poller for eventloop4j, over JNA direct mapping.
 *
 * <p>Nothing is exported: the loop finds {@code EpollPollerProvider} through {@link java.util.ServiceLoader}.
 * Nothing is opened to {@code com.sun.jna} either, because JNA never reflects on this module's classes: the syscall
 * bindings are direct-mapped {@code static native} methods with only primitive and {@code com.sun.jna.Pointer}
 * arguments (no {@code Structure} or {@code Callback} subclasses), and {@code Native.register} binds them through
 * JNI, which module access checks do not apply to.
 *
 * <p>From JDK 24 on, run with {@code --enable-native-access=com.sun.jna} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path) to silence JEP 472's warning.
 */
module org.eventloop4j.poller.epoll {
    requires org.eventloop4j;
    requires com.sun.jna;

    provides org.eventloop4j.spi.PollerProvider with org.eventloop4j.poller.epoll.EpollPollerProvider;
}

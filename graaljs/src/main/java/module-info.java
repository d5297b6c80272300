/**
 * The GraalJS adapter of eventloop4j: runs JavaScript on an {@link org.eventloop4j.EventLoop} with Node's globals
 * (timers, {@code process}, {@code console}, {@code AbortController}, ...). Start at
 * {@link org.eventloop4j.graaljs.JsRuntime}; {@link org.eventloop4j.graaljs.JsRunner} runs script files as
 * {@code node} would (it backs {@code bin/jsrun}).
 */
module org.eventloop4j.graaljs {
    requires transitive org.eventloop4j;
    requires transitive org.graalvm.polyglot;

    exports org.eventloop4j.graaljs;
}

package org.eventloop4j.graaljs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eventloop4j.DelayPolicy;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official Promises/A+ compliance suite (npm {@code promises-aplus-tests} 2.1.2, 872 tests), run inside GraalJS
 * against {@link Promise}: the suite's {@code deferred()} is a Java promise seen through {@link JsPromises}, so every
 * {@code then} the suite calls is the Java promise's. Mocha is replaced by a small runner ({@code aplus/harness.js})
 * with {@code done} callbacks and timeouts on the event loop; {@code assert} and {@code sinon} by stand-ins.
 *
 * <p>The suite is fetched by {@code npm ci} in {@code graaljs/} (the Maven build runs it before the tests).
 */
class PromisesAplusTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void all872TestsPassAgainstTheJavaPromise() throws Exception {
        Path tests = Path.of("node_modules/promises-aplus-tests/lib/tests").toAbsolutePath();
        assertThat(tests.resolve("2.3.3.js"))
                .as("the Promises/A+ suite is missing: run `npm ci` in graaljs/ (the Maven build does it)")
                .exists();
        Path harnessDir = Path.of(PromisesAplusTest.class.getResource("/aplus/harness.js").toURI()).getParent();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (Engine engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            JsRuntime.Builder b = JsRuntime.builder().engine(engine).out(o).err(e)
                    .argv(List.of("jsrun", "harness.js", tests.toString(), "5000"));
            EventLoop loop = EventLoop.builder().delayPolicy(DelayPolicy.NODE).exitWhenIdle(true)
                    .onIdle(b.beforeExitHook()).build();
            // the suite rejects many promises it never handles, by design: keep the Java-side log quiet
            Promise.onUnhandledRejection(loop, (p, r) -> { });
            Promise.onRejectionHandled(loop, p -> { });
            try (JsRuntime js = b.build(loop)) {
                js.execute(ctx -> {
                    js.registerModule("assert", js.eval("(function(){ const module = { exports: {} }; "
                            + read(harnessDir.resolve("assert.js")) + "\n return module.exports; })()"));
                    js.registerModule("sinon", js.eval("(function(){ const module = { exports: {} }; "
                            + read(harnessDir.resolve("sinon.js")) + "\n return module.exports; })()"));
                    ctx.getBindings("js").putMember("__aplusDeferred",
                            (ProxyExecutable) args -> js.promises().deferred());
                });
                js.runMain(harnessDir.resolve("harness.js"));
                loop.run();
                int code = js.finish();
                String stdout = out.toString(StandardCharsets.UTF_8);
                assertThat(stdout).as("stderr: %s", err.toString(StandardCharsets.UTF_8))
                        .contains("872 tests").contains("872 passing").contains("0 failing");
                assertThat(code).isZero();
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}

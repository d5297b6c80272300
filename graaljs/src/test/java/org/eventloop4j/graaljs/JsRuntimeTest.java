package org.eventloop4j.graaljs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eventloop4j.DelayPolicy;
import org.eventloop4j.EventLoop;
import org.eventloop4j.KeepAlive;
import org.eventloop4j.Promise;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Embedding, threads, interop and sandbox defaults of {@link JsRuntime}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsRuntimeTest {

    private static Engine engine;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    private JsRuntime js;

    @BeforeAll
    static void sharedEngine() {
        engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @AfterEach
    void closeRuntime() throws InterruptedException {
        if (js != null) {
            EventLoop loop = js.loop();
            if (loop.state() != org.eventloop4j.LoopState.NEW) {
                loop.shutdown();
                assertThat(loop.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            js.close();
        }
    }

    private JsRuntime.Builder builder() {
        return JsRuntime.builder().engine(engine).out(o).err(e);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A runtime on a loop with its own thread that stays alive until the test shuts it down. */
    private JsRuntime startedRuntime(JsRuntime.Builder b) {
        EventLoop loop = EventLoop.builder().delayPolicy(DelayPolicy.NODE).threadName("js-test-loop").build();
        JsRuntime rt = b.build(loop);
        loop.start();
        return rt;
    }

    // =================================================================== embedding

    @Test
    void embeddingInAFewLinesRunsTimersMicrotasksAndTicksInNodeOrder() {
        js = builder().buildWithOwnLoop();
        js.execute(ctx -> ctx.eval("js", """
                setTimeout(() => console.log('timeout'), 5);
                setImmediate(() => console.log('immediate'));
                Promise.resolve().then(() => console.log('promise'));
                process.nextTick(() => console.log('tick'));
                (async () => { await null; console.log('async'); })();
                console.log('sync');
                """));
        js.loop().run();
        assertThat(js.finish()).isZero();
        assertThat(stdout()).isEqualTo("sync\ntick\npromise\nasync\nimmediate\ntimeout\n");
    }

    @Test
    void beforeExitAndExitAreEmittedAndExitCodeIsReported() {
        js = builder().buildWithOwnLoop();
        js.execute(ctx -> ctx.eval("js", """
                let n = 0;
                process.on('beforeExit', (c) => { console.log('beforeExit', c, n); if (n++ === 0) setTimeout(() => {}, 1); });
                process.on('exit', (c) => console.log('exit', c));
                process.exitCode = 4;
                """));
        js.loop().run();
        assertThat(js.finish()).isEqualTo(4);
        assertThat(stdout()).isEqualTo("beforeExit 4 0\nbeforeExit 4 1\nexit 4\n");
    }

    @Test
    void processExitStopsTheScriptAndTellsTheListener() throws Exception {
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        js = builder().onExit(exited::complete).buildWithOwnLoop();
        js.execute(ctx -> ctx.eval("js", """
                setTimeout(() => { console.log('bye'); process.exit(3); console.log('never'); }, 1);
                setTimeout(() => console.log('never either'), 50);
                """));
        js.loop().run();
        assertThat(exited.get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(js.hasExited()).isTrue();
        assertThat(js.finish()).isEqualTo(3);
        assertThat(stdout()).isEqualTo("bye\n");
    }

    @Test
    void uncaughtErrorWithoutListenerPrintsItAndExitsWithOne() {
        js = builder().buildWithOwnLoop();
        js.execute(ctx -> ctx.eval("js", "setTimeout(() => { throw new RangeError('bad range'); }, 1);"
                + "setTimeout(() => console.log('not reached'), 30);"));
        js.loop().run();
        assertThat(js.finish()).isEqualTo(1);
        assertThat(stderr()).contains("RangeError: bad range");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void errorsThrownBySubmittedFunctionsCompleteTheStageExceptionally() {
        js = builder().buildWithOwnLoop();
        CompletableFuture<Object> f = js.<Object>submit(ctx -> ctx.eval("js", "null.boom")).toCompletableFuture();
        js.loop().run();
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PolyglotException.class).hasMessageContaining("TypeError");
    }

    @Test
    void evalThrowsJavaScriptErrorsToTheCallerAndProcessExitInSubmittedCodeEndsTheScript() throws Exception {
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        js = startedRuntime(builder().onExit(exited::complete));
        String message = js.submit(ctx -> {
            try {
                js.eval("throw new SyntaxError('thrown to Java')");
                return "not thrown";
            } catch (PolyglotException ex) {
                return ex.getMessage();
            }
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(message).contains("thrown to Java");
        assertThat(stderr()).as("not reported as uncaught").isEmpty();
        CompletableFuture<Object> f = js.submit(ctx -> (Object) ctx.eval("js", "process.exit(9)")).toCompletableFuture();
        assertThat(exited.get(30, TimeUnit.SECONDS)).isEqualTo(9);
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(js.hasExited()).isTrue();
        assertThat(js.loop().awaitTermination(30, TimeUnit.SECONDS)).as("exit shuts the loop down").isTrue();
    }

    // =================================================================== threads

    @Test
    void submitFromAnotherThreadRunsOnTheLoopThread() throws Exception {
        js = startedRuntime(builder());
        AtomicReference<String> thread = new AtomicReference<>();
        int result = js.submit(ctx -> {
            thread.set(Thread.currentThread().getName());
            return ctx.eval("js", "[1, 2, 3].reduce((a, b) => a + b, 0) * 7").asInt();
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(result).isEqualTo(42);
        assertThat(thread.get()).isEqualTo("js-test-loop");
    }

    @Test
    void contextAndEvalOffTheLoopThreadFailWithAClearMessage() {
        js = startedRuntime(builder());
        assertThatThrownBy(() -> js.context()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to the thread driving its event loop")
                .hasMessageContaining("submit(");
        assertThatThrownBy(() -> js.eval("1 + 1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JsRuntime.eval()");
    }

    @Test
    void aValueUsedFromAnotherThreadWhileJavaScriptRunsIsRefusedAndTheContextStaysUsable() throws Exception {
        js = startedRuntime(builder());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Value fn = js.submit(ctx -> {
            ctx.getBindings("js").putMember("blockHere", (ProxyExecutable) a -> {
                inside.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            return ctx.eval("js", "globalThis.counter = 0; (function inc() { return ++globalThis.counter; })");
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> blocked = js.execute(ctx -> ctx.eval("js", "blockHere()")).toCompletableFuture();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            assertThatThrownBy(fn::execute).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Multi threaded access");
        } finally {
            release.countDown();
        }
        blocked.get(30, TimeUnit.SECONDS);
        int after = js.submit(ctx -> fn.execute().asInt()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(after).as("the refused call did not run; the context works").isEqualTo(1);
    }

    // =================================================================== interop

    @Test
    void aJavaPromiseSettledFromAnotherThreadIsAwaitableInJavaScript() throws Exception {
        js = startedRuntime(builder());
        Promise.Resolvers<Object> r = Promise.withResolvers(js.loop());
        CompletableFuture<Object> seen = new CompletableFuture<>();
        js.execute(ctx -> {
            ctx.getBindings("js").putMember("javaValue", js.promises().toJs(r.promise()));
            ctx.getBindings("js").putMember("report", (ProxyExecutable) a -> seen.complete(a[0].asString()));
            ctx.eval("js", "(async () => { const v = await javaValue; report('got ' + v); })()");
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        Thread t = new Thread(() -> r.resolve("from another thread"));
        t.start();
        t.join();
        assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo("got from another thread");
    }

    @Test
    void aJavaRejectionReachesJavaScriptCatch() throws Exception {
        js = startedRuntime(builder());
        Promise<Object> failed = Promise.reject(js.loop(), new IllegalArgumentException("java says no"));
        CompletableFuture<Boolean> seen = new CompletableFuture<>();
        js.execute(ctx -> {
            ctx.getBindings("js").putMember("jp", js.promises().toJsPromise(failed));
            ctx.getBindings("js").putMember("report", (ProxyExecutable) a -> seen.complete(a[0].asBoolean()));
            ctx.eval("js", "jp.catch(e => report(e !== undefined && e !== null)).finally(() => {})");
        });
        assertThat(seen.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aJavaScriptPromiseBecomesACompletableFuture() throws Exception {
        js = startedRuntime(builder());
        CompletableFuture<Object> ok = js.submit(ctx -> js.promises().toCompletableFuture(
                ctx.eval("js", "new Promise(r => setTimeout(() => r('done in JS'), 5))")))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(ok.get(30, TimeUnit.SECONDS)).isEqualTo("done in JS");

        CompletableFuture<Object> number = js.submit(ctx -> js.promises().toCompletableFuture(
                ctx.eval("js", "(async () => 6 * 7)()"))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(number.get(30, TimeUnit.SECONDS)).isEqualTo(42);

        CompletableFuture<Object> bad = js.submit(ctx -> js.promises().toCompletableFuture(
                ctx.eval("js", "Promise.reject({ code: 'E_JS' })"))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JsException.class).hasMessageContaining("E_JS");
    }

    @Test
    void aJavaScriptRejectionValueKeepsItsIdentityThroughAJavaPromise() throws Exception {
        js = startedRuntime(builder());
        boolean same = js.submit(ctx -> {
            Value reason = ctx.eval("js", "globalThis.reason = { marker: 1 }; reason");
            Promise<Object> p = js.promises().toJava(ctx.eval("js", "Promise.reject(reason)"));
            Value back = js.promises().toJs(p.then(v -> v, ex -> {
                throw ex;
            }));
            ctx.getBindings("js").putMember("back", back);
            return ctx.eval("js", "globalThis.result = new Promise(res => back.then(null, e => res(e === reason)));"
                    + " result");
        }).thenCompose(v -> js.submit(ctx -> js.promises().toCompletableFuture(
                ctx.getBindings("js").getMember("result"))))
                .toCompletableFuture().get(30, TimeUnit.SECONDS)
                .thenApply(Boolean.class::cast).get(30, TimeUnit.SECONDS);
        assertThat(same).isTrue();
    }

    @Test
    void thenIsLookedUpExactlyOnceWhenAJavaPromiseAdoptsAJavaScriptThenable() throws Exception {
        js = startedRuntime(builder());
        CompletableFuture<Object> f = js.submit(ctx -> {
            Value thenable = ctx.eval("js", """
                    globalThis.lookups = 0;
                    ({ get then() { lookups++; return (res) => res('adopted'); } })""");
            return js.promises().toCompletableFuture(thenable);
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("adopted");
        int lookups = js.submit(ctx -> ctx.eval("js", "lookups").asInt()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(lookups).isEqualTo(1);
    }

    // =================================================================== sandbox defaults

    @Test
    void scriptsGetNoHostClassesNoFilesAndNoShellHelpersByDefault() throws Exception {
        js = startedRuntime(builder());
        String report = js.submit(ctx -> {
            ctx.getBindings("js").putMember("javaObject", new StringBuilder("secret"));
            return ctx.eval("js", """
                    const r = [];
                    try { Java.type('java.lang.System'); r.push('Java.type allowed'); } catch (e) { r.push('no Java.type'); }
                    try { javaObject.append('x'); r.push('host member allowed'); } catch (e) { r.push('no host members'); }
                    r.push(typeof load, typeof print, typeof quit, typeof read, typeof readFile, typeof Polyglot);
                    r.push(typeof require);
                    r.join(',')""").asString();
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(report).isEqualTo("no Java.type,no host members,undefined,undefined,undefined,undefined,"
                + "undefined,undefined,undefined");
    }

    @Test
    void hostAccessAndClassLookupCanBeGrantedExplicitly() throws Exception {
        // a private engine: GraalJS wants one host access policy per engine
        js = startedRuntime(JsRuntime.builder().out(o).err(e).hostAccess(org.graalvm.polyglot.HostAccess.ALL)
                .allowHostClassLookup(name -> name.equals("java.lang.StringBuilder")));
        String s = js.submit(ctx -> ctx.eval("js",
                "const SB = Java.type('java.lang.StringBuilder'); new SB('a').append('b').toString()").asString())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(s).isEqualTo("ab");
        CompletableFuture<Object> denied = js.submit(ctx -> (Object) ctx.eval("js", "Java.type('java.lang.System')"))
                .toCompletableFuture();
        assertThatThrownBy(() -> denied.get(30, TimeUnit.SECONDS)).hasMessageContaining("java.lang.System");
    }

    @Test
    void processEnvIsACopyAndArgvIsWhatTheEmbedderGave() throws Exception {
        js = startedRuntime(builder().env(Map.of("GREETING", "hello")).argv(List.of("node", "app.js", "--x")));
        String s = js.submit(ctx -> ctx.eval("js",
                "process.env.GREETING = 'changed'; [process.env.GREETING, process.argv.join(' ')].join('|')").asString())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(s).isEqualTo("changed|node app.js --x");
        assertThat(System.getenv("GREETING")).isNotEqualTo("changed");
    }

    @Test
    void timersScheduledFromJavaScriptKeepALoopAliveAndUnrefLetsItGo() throws Exception {
        js = builder().buildWithOwnLoop();
        AtomicInteger fired = new AtomicInteger();
        js.execute(ctx -> {
            ctx.getBindings("js").putMember("fire", (ProxyExecutable) a -> fired.incrementAndGet());
            ctx.eval("js", "setTimeout(fire, 20); setTimeout(fire, 60000).unref(); setInterval(fire, 60000).unref();");
        });
        long start = System.nanoTime();
        js.loop().run();
        assertThat(fired.get()).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
    }

    @Test
    void keepAliveFromJavaHoldsTheLoopForASubmittedPromise() throws Exception {
        js = builder().buildWithOwnLoop();
        KeepAlive hold = js.loop().keepAlive();
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread loopThread = new Thread(js.loop()::run);
        loopThread.start();
        js.submit(ctx -> js.promises().toCompletableFuture(ctx.eval("js", "Promise.resolve('kept')")))
                .thenCompose(x -> x).whenComplete((v, ex) -> {
                    if (ex != null) {
                        f.completeExceptionally(ex);
                    } else {
                        f.complete(v);
                    }
                    hold.close();
                });
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("kept");
        loopThread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(loopThread.isAlive()).isFalse();
    }
}

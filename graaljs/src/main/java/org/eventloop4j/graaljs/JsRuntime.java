package org.eventloop4j.graaljs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

import org.eventloop4j.DelayPolicy;
import org.eventloop4j.EventLoop;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * A GraalJS {@link Context} bound to an {@link EventLoop}, with Node's globals: {@code setTimeout} and friends,
 * {@code setImmediate}, {@code queueMicrotask}, {@code process} ({@code nextTick}, events, {@code exit}, {@code argv},
 * {@code env}), {@code console}, {@code performance}, {@code AbortController}/{@code AbortSignal},
 * {@code EventTarget}/{@code Event}, {@code structuredClone}.
 *
 * <pre>{@code
 * JsRuntime js = JsRuntime.builder().buildWithOwnLoop();          // loop with Node's delay rules and beforeExit
 * js.execute(ctx -> ctx.eval("js", "setTimeout(() => console.log('later'), 10); console.log('now')"));
 * js.loop().run();                                                // returns when nothing keeps the loop alive
 * int code = js.finish();                                         // emits 'exit'; Node's exit code
 * }</pre>
 *
 * <h2>Threads</h2>
 * The context belongs to the loop: only the thread driving the loop runs JavaScript. From any other thread use
 * {@link #submit(Function)} or {@link #execute(Consumer)}, which run the function on the loop as a macrotask and
 * complete the returned stage there. {@link #context()} and {@link #eval(String)} check the calling thread and throw an
 * {@link IllegalStateException} naming the rule; a {@link Value} leaked to another thread and used while the loop
 * runs JavaScript is refused by GraalJS itself ({@code IllegalStateException: Multi threaded access ...}) before it
 * touches any state, so the context stays usable.
 *
 * <h2>Ordering</h2>
 * Every macrotask (timer, immediate, submitted function, main script) enters JavaScript exactly once, through one
 * JavaScript trampoline that runs the callback and then the {@code process.nextTick} queue. GraalJS drains its promise
 * job queue when that outermost call returns; while ticks remain (queued by promise jobs), the trampoline is entered
 * again, so ticks run before promise jobs and again after them, as in Node's {@code processTicksAndRejections}. Then
 * {@code rejectionHandled} and {@code unhandledRejection} are emitted. A throw in a callback goes to
 * {@code process.on('uncaughtException')}, or is printed and ends the script with exit code 1.
 *
 * <h2>Protocol</h2>
 * Fields marked "loop thread" are touched only by the thread driving the loop (and by the constructor, before the
 * runtime is published through the loop's task queue or returned to the caller). {@code exitCode} and
 * {@code exited} are volatile: other threads may read them after the loop terminated.
 */
public final class JsRuntime implements AutoCloseable {

    private static final String PRELUDE = "org/eventloop4j/graaljs/prelude.js";

    private final EventLoop loop;
    private final Context context;
    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exitListener;
    private final Value trampoline;     // loop thread
    private final Value pending;        // loop thread
    private final Value processRejections;
    private final Value beforeExitFn;
    private final Value exitFn;
    private final Value exitCodeFn;
    private final Value runMainFn;
    private final Value inspectFn;
    private final Value noop;
    private final Value invokeFn;
    private final Value getMemberFn;
    private final Value callWithThisFn;
    private final Value registerModuleFn;
    private final Value undefinedValue;
    private final Value typeErrorFn;
    private final Value subscribeFn;
    private final Value reportUncaughtFn;
    private final Value wrapJavaPromiseFn;
    private final Value unwrapJavaPromiseFn;
    private final JsPromises promises;
    final HostBindings host;
    private int depth;                  // loop thread: nesting of JS entries from this runtime
    private volatile boolean exited;
    private volatile int exitCode;
    private volatile boolean closed;

    private JsRuntime(Builder b, EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.out = b.out;
        this.err = b.err;
        this.exitListener = b.exitListener;
        Context.Builder cb = Context.newBuilder("js")
                .allowExperimentalOptions(true)
                .option("js.unhandled-rejections", "handler")
                .option("js.shell", "true")      // only for `quit` (a real exit); the prelude removes the shell globals
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.polyglot-builtin", "false")
                .option("js.esm-eval-returns-exports", "false")
                .allowHostAccess(b.hostAccess)
                .allowHostClassLookup(b.hostClassFilter)
                .allowCreateThread(b.allowCreateThread)
                .allowNativeAccess(false)
                .allowCreateProcess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(b.io)
                .out(nonClosing(b.out))
                .err(nonClosing(b.err))
                .in(InputStream.nullInputStream());
        if (b.engine != null) {
            cb.engine(b.engine);
        } else {
            // a private engine, closed with the context
            cb.option("engine.WarnInterpreterOnly", "false");
        }
        for (Consumer<Context.Builder> c : b.customizers) {
            c.accept(cb);
        }
        this.context = cb.build();
        try {
            this.host = new HostBindings(this, loop, b.argv, b.env, b.out, b.err);
            Value factory = context.eval(Source.newBuilder("js", readPrelude(), "eventloop4j:prelude.js").buildLiteral());
            Value quit = context.getBindings("js").getMember("quit");
            Value api = factory.execute(host.asProxy(), quit);
            this.trampoline = api.getMember("macrotask");
            this.pending = api.getMember("pending");
            this.processRejections = api.getMember("processRejections");
            this.beforeExitFn = api.getMember("beforeExit");
            this.exitFn = api.getMember("exit");
            this.exitCodeFn = api.getMember("exitCode");
            this.runMainFn = api.getMember("runMain");
            this.inspectFn = api.getMember("inspect");
            this.noop = context.eval("js", "(function noop() {})");
            this.invokeFn = api.getMember("invoke");
            this.subscribeFn = api.getMember("subscribe");
            this.reportUncaughtFn = api.getMember("reportUncaught");
            this.wrapJavaPromiseFn = api.getMember("wrapJavaPromise");
            this.unwrapJavaPromiseFn = api.getMember("unwrapJavaPromise");
            this.callWithThisFn = api.getMember("callWithThis");
            this.registerModuleFn = api.getMember("registerModule");
            this.getMemberFn = context.eval("js", "(function getMember(o, k) { return o[k]; })");
            this.undefinedValue = context.eval("js", "undefined");
            this.typeErrorFn = context.eval("js", "(function typeError(m) { return new TypeError(m); })");
            this.promises = new JsPromises(this);
        } catch (RuntimeException | Error e) {
            context.close(true);
            throw e;
        }
    }

    private static String readPrelude() {
        try (InputStream in = JsRuntime.class.getClassLoader() != null
                ? JsRuntime.class.getResourceAsStream("/" + PRELUDE)
                : ClassLoader.getSystemResourceAsStream(PRELUDE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + PRELUDE + " is missing from the eventloop4j-graaljs jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OutputStream nonClosing(PrintStream s) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                s.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                s.write(b, off, len);
            }

            @Override
            public void flush() {
                s.flush();
            }
        };
    }

    /**
     * A builder with the safe defaults: no host class access, no host I/O, no threads, no processes, no native
     * access; stdout and stderr of this JVM; empty {@code process.argv} past the first entry; a copy of this process's
     * environment.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the loop this runtime runs on */
    public EventLoop loop() {
        return loop;
    }

    // =================================================================== thread checks

    private void checkThread(String what) {
        if (closed) {
            throw new IllegalStateException("this JsRuntime is closed");
        }
        if (!loop.inLoop() && loop.state() != org.eventloop4j.LoopState.TERMINATED) {
            throw new IllegalStateException(what + " called from thread '" + Thread.currentThread().getName()
                    + "', but a JsRuntime's GraalJS context belongs to the thread driving its event loop ("
                    + loop + "): use JsRuntime.submit(...) or execute(...) to run code there");
        }
    }

    /**
     * The GraalJS context, for code already running on the loop thread (inside a callback or a submitted function).
     *
     * @return the context
     * @throws IllegalStateException on any other thread, or after {@link #close()}
     */
    public Context context() {
        checkThread("JsRuntime.context()");
        return context;
    }

    // =================================================================== running code

    /**
     * Runs {@code fn} on the loop thread as one macrotask (with its own microtask checkpoint) and completes the
     * returned stage with its result there. Any thread.
     *
     * @param fn the code that uses the context
     * @param <T> the result type
     * @return completes with fn's result, or exceptionally with what it threw (a {@link PolyglotException} for a
     *     JavaScript error) or with {@link IllegalStateException} if the script exited first
     * @throws RejectedExecutionException if the loop is shutting down
     */
    public <T> CompletionStage<T> submit(Function<Context, T> fn) {
        Objects.requireNonNull(fn, "fn");
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (exited || closed) {
                result.completeExceptionally(new IllegalStateException("the script has exited (code " + exitCode
                        + "); the JsRuntime no longer runs code"));
                return;
            }
            ProxyExecutable body = args -> {
                try {
                    result.complete(fn.apply(context));
                } catch (PolyglotException e) {
                    result.completeExceptionally(e);
                    if (e.isExit()) {
                        throw e; // process.exit() in the submitted code ends the script
                    }
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
                return null;
            };
            macrotask(body);
            if (!result.isDone()) {
                result.completeExceptionally(new IllegalStateException("the script exited (code " + exitCode
                        + ") while this function ran"));
            }
        });
        return result;
    }

    /**
     * Like {@link #submit(Function)} for code without a result.
     *
     * @param fn the code that uses the context
     * @return completes when fn has run
     */
    public CompletionStage<Void> execute(Consumer<Context> fn) {
        Objects.requireNonNull(fn, "fn");
        return submit(ctx -> {
            fn.accept(ctx);
            return null;
        });
    }

    /**
     * Evaluates JavaScript on the loop thread, now. When called outside any JavaScript entry (from a plain loop
     * callback), it is a macrotask of its own: nextTicks, promise jobs and rejection events are processed before it
     * returns.
     *
     * @param code JavaScript source (a script, not a module)
     * @return the completion value
     * @throws IllegalStateException if not called on the loop thread
     * @throws PolyglotException if the code throws
     */
    public Value eval(String code) {
        checkThread("JsRuntime.eval()");
        return eval(Source.create("js", code));
    }

    /**
     * Evaluates a {@link Source} on the loop thread, as {@link #eval(String)} does.
     *
     * @param source the source
     * @return the completion value
     * @throws PolyglotException if the code throws (it is not reported to {@code uncaughtException})
     * @throws IllegalStateException off the loop thread, or if the script has exited
     */
    public Value eval(Source source) {
        checkThread("JsRuntime.eval()");
        if (depth > 0) {
            return context.eval(source);
        }
        Value[] result = new Value[1];
        RuntimeException[] failure = new RuntimeException[1];
        macrotask((ProxyExecutable) args -> {
            try {
                result[0] = context.eval(source);
            } catch (PolyglotException e) {
                if (e.isExit()) {
                    throw e;
                }
                failure[0] = e;
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        if (exited && result[0] == null) {
            throw new IllegalStateException("the script has exited (code " + exitCode + ")");
        }
        return result[0];
    }

    /**
     * Formats a value as {@code console.log} would (Node's {@code util.inspect} rules, a subset). Loop thread.
     *
     * @param value a JavaScript value
     * @return its text
     */
    public String inspect(Value value) {
        checkThread("JsRuntime.inspect()");
        return inspectFn.execute(value).asString();
    }

    /**
     * Queues the main script of a program (a CommonJS file, or an ES module if it ends in {@code .mjs}) to run as the
     * first macrotask. Any thread. Reading the file and the files it {@code require}s needs no I/O permission from
     * the script; ES module imports do (see {@link Builder#allowReadFiles(boolean)}).
     *
     * @param path the script file
     * @return completes when the script's synchronous part has run
     */
    public CompletionStage<Void> runMain(java.nio.file.Path path) {
        String abs = path.toAbsolutePath().normalize().toString();
        boolean module = abs.endsWith(".mjs");
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            macrotask(runMainFn, abs, module);
            done.complete(null);
        });
        return done;
    }

    /**
     * Enters JavaScript for one macrotask: {@code fn(args)} through the trampoline, then ticks, promise jobs and
     * rejection events until all are done. Loop thread.
     */
    void macrotask(Object fn, Object... args) {
        enter(trampoline, fn, args);
    }

    /**
     * Calls a JavaScript function for Java code that needs its outcome (promise reactions), as one entry like
     * {@link #macrotask}. Loop thread.
     *
     * @return a JS array {@code [true, result]} or {@code [false, thrown]}
     * @throws IllegalStateException if the script has exited
     */
    Value invoke(Object fn, Object... args) {
        Value r = enter(invokeFn, fn, args);
        if (r == null) {
            throw new IllegalStateException("the script has exited (code " + exitCode + ")");
        }
        return r;
    }

    private Value enter(Value entry, Object fn, Object[] args) {
        if (exited || closed) {
            return null;
        }
        Object[] all = new Object[args.length + 1];
        all[0] = fn;
        System.arraycopy(args, 0, all, 1, args.length);
        if (depth > 0) {
            // a nested entry from Java code called by JavaScript: the outer entry does the checkpoint
            return entry.execute(all);
        }
        depth++;
        Value escaped = null;
        try {
            Value result = entry.execute(all);
            for (;;) {
                int state = pending.execute().asInt();
                if (state == 0) {
                    break;
                }
                if (state == 1) {
                    trampoline.executeVoid(noop);
                } else {
                    trampoline.executeVoid(processRejections);
                }
            }
            return result;
        } catch (PolyglotException e) {
            if (e.isGuestException() && !e.isExit() && !e.isInternalError() && e.getGuestObject() != null) {
                // a JavaScript error thrown outside any callback's try (GraalJS rethrows a rejected top-level
                // await of an ES module while draining jobs): an uncaught exception like any other
                escaped = e.getGuestObject();
            } else {
                handleEscape(e);
            }
            return null;
        } finally {
            depth--;
            out.flush();
            err.flush();
            if (escaped != null && !exited && !closed) {
                enter(trampoline, reportUncaughtFn, new Object[] {escaped});
            }
        }
    }

    Value getMemberFn() {
        return getMemberFn;
    }

    Value callWithThisFn() {
        return callWithThisFn;
    }

    Value wrapJavaPromise(Object handle) {
        return wrapJavaPromiseFn.execute(handle);
    }

    Value unwrapJavaPromise(Value v) {
        return unwrapJavaPromiseFn.execute(v);
    }

    boolean subscribe(Value value, Object onFulfilled, Object onRejected) {
        return subscribeFn.execute(value, onFulfilled, onRejected).asBoolean();
    }

    Value newTypeError(String message) {
        return typeErrorFn.execute(message);
    }

    Value undefined() {
        return undefinedValue;
    }

    /** A short description of a JavaScript value for exception messages. Loop thread. */
    String describe(Value v) {
        try {
            String s = inspectFn.execute(v).asString();
            return s.length() > 500 ? s.substring(0, 500) + "..." : s;
        } catch (PolyglotException e) {
            return "JavaScript value (cannot be described: " + e.getMessage() + ")";
        }
    }

    /**
     * The converter between JavaScript promises and {@link org.eventloop4j.Promise}.
     *
     * @return the converter (its methods run on the loop thread)
     */
    public JsPromises promises() {
        return promises;
    }

    /**
     * Makes {@code require(name)} (and {@code require('node:' + name)}) return {@code exports} in this runtime's
     * CommonJS modules, for modules the embedder provides. Loop thread.
     *
     * @param name the module name
     * @param exports what require returns
     */
    public void registerModule(String name, Value exports) {
        checkThread("JsRuntime.registerModule()");
        Objects.requireNonNull(name, "name");
        registerModuleFn.execute(name, exports);
    }

    private void handleEscape(PolyglotException e) {
        if (e.isExit()) {
            markExited(e.getExitStatus());
            return;
        }
        // the trampoline catches every JavaScript error, so this is the engine itself failing (stack overflow inside
        // an uncaughtException listener, resource limits, cancellation): report it the way Node reports a fatal error
        err.println("eventloop4j: fatal JavaScript engine error: " + e.getMessage());
        if (e.isHostException()) {
            e.asHostException().printStackTrace(err);
        }
        markExited(e.isCancelled() ? 130 : 1);
    }

    private void markExited(int code) {
        if (exited) {
            return;
        }
        exitCode = code;
        exited = true;
        out.flush();
        err.flush();
        try {
            loop.shutdown();
        } catch (RuntimeException ignored) {
            // already terminated
        }
        if (exitListener != null) {
            exitListener.accept(code);
        }
    }

    /**
     * Emits {@code process.on('beforeExit')}. Wire it as the loop's {@code onIdle} hook (see
     * {@link Builder#beforeExitHook()}); listeners may schedule more work, which keeps the loop alive. Loop thread.
     */
    void emitBeforeExit() {
        if (!exited && !closed) {
            macrotask(beforeExitFn);
        }
    }

    /**
     * Ends the program as Node does when its loop empties: emits {@code process.on('exit')} (unless the script already
     * exited through {@code process.exit} or a fatal error) and returns the exit code. Call it on the thread that ran
     * the loop, after the loop terminated (or from a loop callback).
     *
     * @return the exit code: {@code process.exitCode}, the argument of {@code process.exit}, or 1 after an uncaught
     *     error
     */
    public int finish() {
        checkThread("JsRuntime.finish()");
        if (!exited) {
            try {
                depth++;
                int code = exitFn.execute().asInt();
                markExited(code);
            } catch (PolyglotException e) {
                handleEscape(e);
            } finally {
                depth--;
                out.flush();
                err.flush();
            }
        }
        return exitCode;
    }

    /** @return whether the script ended (process.exit, a fatal error, or {@link #finish()}) */
    public boolean hasExited() {
        return exited;
    }

    /**
     * The exit code so far: after the script ended, its final code; before, the current {@code process.exitCode}
     * (loop thread) or 0.
     *
     * @return the exit code
     */
    public int exitCode() {
        if (exited) {
            return exitCode;
        }
        if (loop.inLoop() && !closed) {
            return exitCodeFn.execute().asInt();
        }
        return 0;
    }

    /**
     * Closes the context (and the engine if the runtime created it). Call it on the loop thread or after the loop
     * terminated. It does not stop the loop: timers already scheduled no longer run JavaScript.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!loop.inLoop() && loop.state() != org.eventloop4j.LoopState.TERMINATED
                && loop.state() != org.eventloop4j.LoopState.NEW) {
            throw new IllegalStateException("JsRuntime.close() called from thread '" + Thread.currentThread().getName()
                    + "' while its loop runs on another thread: close it from the loop (execute(ctx -> js.close())) or "
                    + "after the loop terminated");
        }
        closed = true;
        try {
            context.close();
        } catch (PolyglotException e) {
            if (!e.isExit()) {
                throw e;
            }
        } catch (IllegalStateException e) {
            // a context still entered by a callback: cancel it
            context.close(true);
        }
        out.flush();
        err.flush();
    }

    // =================================================================== builder

    /** Builds {@link JsRuntime}s. Defaults are safe: nothing outside the sandbox is granted. */
    public static final class Builder {
        private Engine engine;
        private PrintStream out = System.out;
        private PrintStream err = System.err;
        private List<String> argv = List.of("jsrun");
        private Map<String, String> env = System.getenv();
        private HostAccess hostAccess = HostAccess.NONE;
        private Predicate<String> hostClassFilter = name -> false;
        private boolean allowCreateThread;
        private IOAccess io = IOAccess.NONE;
        private IntConsumer exitListener;
        private final List<Consumer<Context.Builder>> customizers = new ArrayList<>();
        private final BeforeExitHook beforeExit = new BeforeExitHook();

        private Builder() {
        }

        /**
         * Shares a GraalJS engine (its code caches) between runtimes; runtimes do not close a shared engine. GraalJS
         * requires every context of one engine to use the same {@link #hostAccess(HostAccess)} policy.
         *
         * @param engine the engine
         * @return this builder
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * Where {@code console.log/info/debug} write (default: {@code System.out}).
         *
         * @param out the stream
         * @return this builder
         */
        public Builder out(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Where {@code console.warn/error}, warnings and fatal errors write (default: {@code System.err}).
         *
         * @param err the stream
         * @return this builder
         */
        public Builder err(PrintStream err) {
            this.err = Objects.requireNonNull(err, "err");
            return this;
        }

        /**
         * {@code process.argv}: Node puts the executable first and the script second ({@link #runMain} sets the
         * second to the script's path).
         *
         * @param argv the values
         * @return this builder
         */
        public Builder argv(List<String> argv) {
            this.argv = List.copyOf(argv);
            return this;
        }

        /**
         * The variables {@code process.env} shows (a copy; scripts cannot change the real environment).
         *
         * @param env the variables
         * @return this builder
         */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(new LinkedHashMap<>(env));
            return this;
        }

        /**
         * Lets scripts see members of Java objects handed to them: {@link HostAccess#NONE} by default. Proxies
         * ({@code org.graalvm.polyglot.proxy}) work either way.
         *
         * @param access the policy
         * @return this builder
         */
        public Builder hostAccess(HostAccess access) {
            this.hostAccess = Objects.requireNonNull(access, "access");
            return this;
        }

        /**
         * Lets scripts look up Java classes ({@code Java.type}) whose names pass the filter; none by default.
         *
         * @param filter class names allowed
         * @return this builder
         */
        public Builder allowHostClassLookup(Predicate<String> filter) {
            this.hostClassFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Lets scripts create threads (only useful with host access); off by default.
         *
         * @param allow whether to allow
         * @return this builder
         */
        public Builder allowCreateThread(boolean allow) {
            this.allowCreateThread = allow;
            return this;
        }

        /**
         * Lets the engine read files (ES module {@code import}s need it); writing stays forbidden. Off by default.
         *
         * @param allow whether to allow reading
         * @return this builder
         */
        public Builder allowReadFiles(boolean allow) {
            this.io = allow
                    ? IOAccess.newBuilder().fileSystem(org.graalvm.polyglot.io.FileSystem.newReadOnlyFileSystem(
                            org.graalvm.polyglot.io.FileSystem.newDefaultFileSystem())).build()
                    : IOAccess.NONE;
            return this;
        }

        /**
         * Called on the loop thread with the exit code when the script ends ({@code process.exit}, a fatal error, or
         * {@link JsRuntime#finish()}).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder onExit(IntConsumer listener) {
            this.exitListener = listener;
            return this;
        }

        /**
         * Applies further settings to GraalJS's context builder after the runtime's own (for options this builder
         * does not cover; granting access here is the embedder's decision).
         *
         * @param customizer the customizer
         * @return this builder
         */
        public Builder customizeContext(Consumer<Context.Builder> customizer) {
            customizers.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        /**
         * The hook that emits {@code process.on('beforeExit')}: pass it to {@code EventLoop.Builder.onIdle} of the loop
         * this builder will be given, together with {@code exitWhenIdle(true)}.
         *
         * @return the hook (does nothing until {@link #build(EventLoop)} ran)
         */
        public Runnable beforeExitHook() {
            return beforeExit;
        }

        /**
         * Builds a runtime on an existing loop.
         *
         * @param loop the loop; give it {@link #beforeExitHook()} as its onIdle hook for {@code beforeExit}
         * @return the runtime
         */
        public JsRuntime build(EventLoop loop) {
            JsRuntime rt = new JsRuntime(this, loop);
            beforeExit.runtime = rt;
            return rt;
        }

        /**
         * Builds a runtime with a loop of its own configured like Node's: {@link DelayPolicy#NODE}, exits when idle,
         * {@code beforeExit} wired. Drive it with {@code runtime.loop().run()}.
         *
         * @return the runtime
         */
        public JsRuntime buildWithOwnLoop() {
            EventLoop loop = EventLoop.builder()
                    .delayPolicy(DelayPolicy.NODE)
                    .exitWhenIdle(true)
                    .onIdle(beforeExitHook())
                    .build();
            return build(loop);
        }
    }

    /** Forwards the loop's onIdle to the runtime built later; written before the loop runs (build is published by
     * the loop's task queue or by the embedder starting the loop after build). */
    private static final class BeforeExitHook implements Runnable {
        volatile JsRuntime runtime;

        @Override
        public void run() {
            JsRuntime rt = runtime;
            if (rt != null) {
                rt.emitBeforeExit();
            }
        }
    }
}

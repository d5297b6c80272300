package org.eventloop4j.graaljs;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eventloop4j.DelayPolicy;
import org.eventloop4j.EventLoop;
import org.eventloop4j.LoopClock;
import org.graalvm.polyglot.Engine;

/**
 * Runs a script file the way {@code node FILE.js} does: a fresh loop and context, the main script as the first
 * macrotask, the loop until nothing keeps it alive ({@code beforeExit} may add work), then {@code exit}. Backs
 * {@code bin/jsrun}; tests call {@link #run} in-process with a shared {@link Engine}.
 */
public final class JsRunner {

    private JsRunner() {
    }

    /**
     * Command line entry: {@code JsRunner FILE.js [args...]}; exits the JVM with the script's exit code.
     *
     * @param args the script and its arguments
     */
    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: jsrun FILE.js|FILE.mjs [args...]");
            System.exit(args.length == 0 ? 2 : 0);
            return;
        }
        Path script = Path.of(args[0]);
        if (!Files.isRegularFile(script)) {
            System.err.println("jsrun: cannot find script " + args[0]);
            System.exit(2);
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int code = run(script, rest, System.out, System.err, null, System.getenv());
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs one script to completion on the calling thread.
     *
     * @param script the file ({@code .mjs}: an ES module, with top-level await; otherwise CommonJS)
     * @param args {@code process.argv.slice(2)}
     * @param out stdout
     * @param err stderr
     * @param engine a shared engine, or null for a private one
     * @param env {@code process.env}
     * @return the exit code Node would return
     */
    public static int run(Path script, List<String> args, PrintStream out, PrintStream err, Engine engine,
            Map<String, String> env) {
        return run(script, args, out, err, engine, env, null);
    }

    /** As {@link #run(Path, List, PrintStream, PrintStream, Engine, Map)}, on a loop with {@code clock} (null: system). */
    static int run(Path script, List<String> args, PrintStream out, PrintStream err, Engine engine,
            Map<String, String> env, LoopClock clock) {
        Path abs = script.toAbsolutePath().normalize();
        List<String> argv = new ArrayList<>();
        argv.add("jsrun");
        argv.add(abs.toString());
        argv.addAll(args);
        JsRuntime.Builder b = JsRuntime.builder().out(out).err(err).argv(argv).env(env)
                // ES module imports are read by the engine; CommonJS require is served by the adapter
                .allowReadFiles(abs.toString().endsWith(".mjs"));
        if (engine != null) {
            b.engine(engine);
        }
        EventLoop.Builder lb = EventLoop.builder()
                .delayPolicy(DelayPolicy.NODE)
                .exitWhenIdle(true)
                .onIdle(b.beforeExitHook())
                .threadName("jsrun");
        if (clock != null) {
            lb.clock(clock);
        }
        EventLoop loop = lb.build();
        try (JsRuntime js = b.build(loop)) {
            js.runMain(abs);
            loop.run();
            return js.finish();
        } finally {
            out.flush();
            err.flush();
        }
    }
}

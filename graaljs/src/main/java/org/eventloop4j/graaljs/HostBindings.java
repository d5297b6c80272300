package org.eventloop4j.graaljs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import org.eventloop4j.DelayPolicy;
import org.eventloop4j.EventLoop;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The Java functions the prelude calls ({@code host.*}). Every function runs on the loop thread, because only the loop
 * thread runs JavaScript; the maps here are therefore plain. Timer and immediate callbacks are JavaScript functions
 * kept here until they run, and each enters JavaScript through {@link JsRuntime#macrotask}.
 */
final class HostBindings {

    private final JsRuntime runtime;
    private final EventLoop loop;
    private final List<String> argv;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    /** Pending immediates by id (loop thread): an unref'd immediate becomes an unref'd 0 ms timer, see refImmediate. */
    private final Map<Long, Value> immediates = new HashMap<>();
    private final long startNanos = System.nanoTime();

    HostBindings(JsRuntime runtime, EventLoop loop, List<String> argv, Map<String, String> env, PrintStream out,
            PrintStream err) {
        this.runtime = runtime;
        this.loop = loop;
        this.argv = argv;
        this.env = env;
        this.out = out;
        this.err = err;
    }

    ProxyObject asProxy() {
        Map<String, Object> m = new HashMap<>();
        m.put("pid", ProcessHandle.current().pid());
        m.put("platform", platform());
        m.put("version", "0.1.0");
        m.put("cwd", Path.of("").toAbsolutePath().toString());
        m.put("argv", ProxyArray.fromList(List.copyOf(argv.isEmpty() ? List.of("jsrun") : argv).stream()
                .map(Object.class::cast).collect(java.util.stream.Collectors.toList())));
        Map<String, Object> envCopy = new HashMap<>(env);
        m.put("env", ProxyObject.fromMap(envCopy));
        m.put("write", (ProxyExecutable) a -> {
            String s = a[1].isString() ? a[1].asString() : a[1].toString();
            PrintStream target = a[0].asInt() == 2 ? err : out;
            target.print(s);
            if (target == err) {
                out.flush();
                err.flush();
            }
            return null;
        });
        m.put("now", (ProxyExecutable) a -> (System.nanoTime() - startNanos) / 1e6);
        m.put("setTimer", (ProxyExecutable) a -> setTimer(a[0], a[1].asDouble(), a[2].asBoolean()));
        m.put("clearTimer", (ProxyExecutable) a -> {
            loop.clearTimeout(a[0].asLong());
            return null;
        });
        m.put("refTimer", (ProxyExecutable) a -> {
            loop.refTimer(a[0].asLong());
            return null;
        });
        m.put("unrefTimer", (ProxyExecutable) a -> {
            loop.unrefTimer(a[0].asLong());
            return null;
        });
        m.put("hasRef", (ProxyExecutable) a -> loop.hasRef(a[0].asLong()));
        m.put("refreshTimer", (ProxyExecutable) a -> {
            loop.refreshTimer(a[0].asLong());
            return null;
        });
        m.put("setImmediate", (ProxyExecutable) a -> scheduleImmediate(a[0], true));
        m.put("refImmediate", (ProxyExecutable) a -> refImmediate(a[0].asLong(), a[1].asBoolean()));
        m.put("clearImmediate", (ProxyExecutable) a -> {
            long id = a[0].asLong();
            if (immediates.remove(id) != null) {
                loop.clearImmediate(id);
                loop.clearTimeout(id);
            }
            return null;
        });
        m.put("resolveModule", (ProxyExecutable) a -> resolveModule(a[0].asString(), a[1].asString()));
        m.put("dirname", (ProxyExecutable) a -> {
            Path parent = Path.of(a[0].asString()).getParent();
            return parent == null ? "/" : parent.toString();
        });
        m.put("readModuleText", (ProxyExecutable) a -> readText(Path.of(a[0].asString())));
        m.put("compileCommonJs", (ProxyExecutable) a -> compileCommonJs(a[0].asString()));
        m.put("evalModule", (ProxyExecutable) a -> evalModule(a[0].asString()));
        return ProxyObject.fromMap(m);
    }

    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win")) {
            return "win32";
        }
        if (os.contains("mac")) {
            return "darwin";
        }
        return os.contains("linux") ? "linux" : os;
    }

    private long setTimer(Value task, double delay, boolean repeat) {
        long ms = DelayPolicy.coerceMillis(delay);
        Runnable r = () -> runtime.macrotask(task);
        try {
            return repeat ? loop.setInterval(r, ms) : loop.setTimeout(r, ms);
        } catch (RejectedExecutionException e) {
            // the script is exiting (an 'exit' listener scheduling work): Node accepts and never runs it
            return 0;
        }
    }

    private long scheduleImmediate(Value task, boolean ref) {
        long[] idBox = new long[1];
        Runnable r = () -> {
            if (immediates.remove(idBox[0]) != null) {
                runtime.macrotask(task);
            }
        };
        long id;
        if (loop.state().compareTo(org.eventloop4j.LoopState.STOPPING) >= 0) {
            return 0; // the script is exiting: accepted, never run (as in Node)
        }
        if (ref) {
            id = loop.setImmediate(r);
        } else {
            // The core's immediates always keep the loop alive; an unref'd immediate runs as an unref'd 0 ms timer
            // instead: it runs only if something else keeps the loop alive, in the timers phase.
            id = loop.setTimeout(r, 0);
            loop.unrefTimer(id);
        }
        idBox[0] = id;
        immediates.put(id, task);
        return id;
    }

    private long refImmediate(long id, boolean ref) {
        Value task = immediates.remove(id);
        if (task == null) {
            return id;
        }
        loop.clearImmediate(id);
        loop.clearTimeout(id);
        return scheduleImmediate(task, ref);
    }

    // =================================================================== CommonJS files

    private static String resolveModule(String fromDir, String spec) {
        if (!(spec.startsWith("./") || spec.startsWith("../") || spec.startsWith("/") || spec.equals(".")
                || spec.equals(".."))) {
            return null;
        }
        Path base = Path.of(fromDir).resolve(spec).normalize();
        for (Path candidate : List.of(base, Path.of(base + ".js"), Path.of(base + ".json"), Path.of(base + ".cjs"),
                base.resolve("index.js"), base.resolve("index.json"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        return null;
    }

    private static String readText(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private Value compileCommonJs(String path) {
        String text = readText(Path.of(path));
        if (text.startsWith("#!")) {
            int nl = text.indexOf('\n');
            text = "//" + (nl < 0 ? text.substring(2) : text.substring(2, nl) + text.substring(nl));
        }
        // On one line with the first line of the file, so line numbers in stack traces stay right.
        String wrapped = "(function (exports, require, module, __filename, __dirname) { " + text + "\n})";
        Source src = Source.newBuilder("js", wrapped, path).buildLiteral();
        return runtime.context().eval(src);
    }

    private Value evalModule(String path) {
        try {
            Source src = Source.newBuilder("js", Path.of(path).toFile())
                    .mimeType("application/javascript+module")
                    .build();
            return runtime.context().eval(src);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}

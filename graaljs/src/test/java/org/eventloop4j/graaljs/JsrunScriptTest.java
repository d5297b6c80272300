package org.eventloop4j.graaljs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spawns the real {@code bin/jsrun} (JDK discovery, JVM flags, the Graal compiler when available, the runner's exit
 * codes). Maven is not run from inside the test: the script gets this test JVM's module path through
 * {@code JSRUN_MODULE_PATH}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JsrunScriptTest {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    private static Path jsrun() {
        Path p = Path.of("..", "bin", "jsrun").toAbsolutePath().normalize();
        assertThat(p).exists();
        return p;
    }

    private static String modulePath() {
        String mp = System.getProperty("jdk.module.path");
        assertThat(mp).as("tests run on the module path").isNotBlank();
        return mp;
    }

    private Result run(String jit, Path script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jsrun().toString(), script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JSRUN_MODULE_PATH", modulePath());
        pb.environment().put("JSRUN_JIT", jit);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        boolean finished = p.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Result r = new Result(finished ? p.exitValue() : -1, Files.readString(out), Files.readString(err));
        assertThat(finished).as("jsrun finished within 4 minutes; stderr so far:%n%s", r.err()).isTrue();
        return r;
    }

    private Path script(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void helpExplainsTheCompilerChoice() throws Exception {
        Process p = new ProcessBuilder(jsrun().toString(), "--help").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(text).contains("usage: bin/jsrun").contains("JVMCI").contains("WarnInterpreterOnly")
                .contains("JSRUN_JIT");
    }

    @Test
    void runsAScriptWithArgumentsAndExitsWithItsCode() throws Exception {
        Path s = script("exit.js", """
                setTimeout(() => { console.log('args', process.argv.slice(2).join(',')); process.exit(5); }, 1);
                Promise.resolve().then(() => console.error('to stderr'));
                """);
        Result r = run("0", s, "a", "b");
        assertThat(r.out()).as("stdout; stderr:%n%s", r.err()).isEqualTo("args a,b\n");
        assertThat(r.err()).isEqualTo("to stderr\n");
        assertThat(r.code()).as("exit code; stderr:%n%s", r.err()).isEqualTo(5);
    }

    @Test
    void uncaughtErrorsExitWithOneAndPrintTheError() throws Exception {
        Path s = script("fail.js", "Promise.reject(new TypeError('no handler here'));\n");
        Result r = run("0", s);
        assertThat(r.code()).as("exit code; stderr:%n%s", r.err()).isEqualTo(1);
        assertThat(r.err()).contains("TypeError: no handler here").doesNotContain("WARNING");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void esModulesWithTopLevelAwaitAndImportsRunWithTheOptimizingCompilerWhenAvailable() throws Exception {
        script("dep.mjs", "export const answer = 42;\n");
        Path s = script("main.mjs", """
                import { answer } from './dep.mjs';
                const v = await new Promise(r => setTimeout(() => r(answer), 5));
                console.log('answer', v);
                console.log('optimizing', Graal.isGraalRuntime());
                """);
        Result r = run("auto", s);
        // jsrun records whether this JDK has JVMCI and where the compiler jar is; with both, JS must be compiled
        Path cache = Path.of("target", "jsrun");
        Path probe = cache.resolve("jvmci-" + Path.of(System.getProperty("java.home")).getFileName());
        Path compiler = cache.resolve("compiler-path.txt");
        boolean jitExpected = Files.exists(probe) && Files.readString(probe).trim().equals("ok")
                && Files.exists(compiler) && !Files.readString(compiler).isBlank();
        assertThat(r.out()).as("stdout; stderr:%n%s", r.err()).isEqualTo("answer 42\noptimizing " + jitExpected + "\n");
        assertThat(r.code()).as("exit code; stderr:%n%s", r.err()).isZero();
        assertThat(r.err()).doesNotContain("WARNING").doesNotContain("fallback runtime");
    }
}

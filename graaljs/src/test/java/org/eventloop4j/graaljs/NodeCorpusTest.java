package org.eventloop4j.graaljs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script of {@code node-corpus/} through {@link JsRunner} (what {@code bin/jsrun} runs), each in a fresh
 * context on a fresh loop, and compares stdout, the exit code and, where Node's was deterministic, stderr with what
 * Node 20 printed (see the corpus README).
 */
class NodeCorpusTest {

    private static Engine engine;

    @BeforeAll
    static void sharedEngine() {
        engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    static Path corpusDir() throws URISyntaxException {
        return Path.of(NodeCorpusTest.class.getResource("/node-corpus/README.md").toURI()).getParent();
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws Exception {
        Path dir = corpusDir();
        List<Path> scripts;
        try (Stream<Path> s = Files.list(dir)) {
            scripts = s.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.m?js")).sorted().toList();
        }
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(40);
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(),
                () -> check(script)));
    }

    private static void check(Path script) throws IOException {
        String base = script.getFileName().toString().replaceAll("\\.m?js$", "");
        Path dir = script.getParent();
        List<String> args = Files.exists(dir.resolve(base + ".args"))
                ? Arrays.asList(Files.readString(dir.resolve(base + ".args")).trim().split("\\s+"))
                : List.of();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = JsRunner.run(script, args, o, e, engine, Map.of("PATH", "/usr/bin"));
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        String expectedOut = Files.readString(dir.resolve(base + ".out"));
        int expectedCode = Integer.parseInt(Files.readString(dir.resolve(base + ".code")).trim());
        assertThat(stdout).as("stdout of %s (stderr was:%n%s)", base, stderr).isEqualTo(expectedOut);
        assertThat(code).as("exit code of %s (stderr was:%n%s)", base, stderr).isEqualTo(expectedCode);
        Path errFile = dir.resolve(base + ".err");
        if (Files.exists(errFile)) {
            assertThat(stderr.replaceAll("\\(node:\\d+\\)", "(node:PID)")).as("stderr of %s", base)
                    .isEqualTo(Files.readString(errFile));
        }
        Path contains = dir.resolve(base + ".err-contains");
        if (Files.exists(contains)) {
            for (String line : Files.readAllLines(contains)) {
                assertThat(stderr).as("stderr of %s", base).contains(line);
            }
        }
        if (!Files.exists(errFile) && !Files.exists(contains) && expectedCode == 0) {
            // Node printed something nondeterministic (a pid) or nothing: at least no engine noise from us
            assertThat(stderr).as("stderr of %s", base).doesNotContain("eventloop4j: fatal");
        }
    }
}

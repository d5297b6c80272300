package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.poller.epoll.modulecheck.ModulePathProbe;
import org.eventloop4j.spi.PollerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks {@code module-info.java} for real: a child JVM with the core, JNA and this module on the module path
 * finds the provider through {@code provides}, and JNA binds the direct-mapped calls without any {@code opens}.
 */
class ModulePathSmokeTest {

    @Test
    void theProviderWorksOnTheModulePathWithNativeAccessForJnaOnly(@TempDir Path tmp) throws Exception {
        String modulePath = String.join(File.pathSeparator, location(PollerProvider.class),
                location(Native.class), location(EpollPollerProvider.class));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=com.sun.jna",
                "--module-path", modulePath,
                "--add-modules", "org.eventloop4j.poller.epoll",
                "-cp", location(ModulePathProbe.class),
                ModulePathProbe.class.getName())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(exited).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).as("exit code; stderr:%n%s", stderr).isZero();
        assertThat(stdout.trim()).isEqualTo("OK epoll org.eventloop4j.poller.epoll reports=0 exported=false");
        assertThat(stderr).as("no JEP 472 warning when com.sun.jna has native access").doesNotContain("WARNING");
    }

    private static String location(Class<?> c) throws Exception {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

}

package org.eventloop4j.poller.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Java 21 overlay: a loop on a virtual thread with epoll registrations, NIO channels or both never blocks its
 * carrier in native code.
 * Runs {@link VirtualLoopPinningProbe} in a child JVM with a single carrier thread.
 */
class VirtualLoopPinningTest {

    @Test
    void virtualLoopWaitingOnEpollLeavesTheOnlyCarrierFree() throws Exception {
        runProbe("watcher", "fd");
    }

    /** The mode used for pollers without awaitReadiness (IOCP), forced here on epoll. */
    @Test
    void offloadedPollAlsoLeavesTheOnlyCarrierFree() throws Exception {
        runProbe("offload", "fd");
    }

    /** NIO channels only: the blocking select runs on a platform helper. */
    @Test
    void virtualLoopWaitingOnChannelsLeavesTheOnlyCarrierFree() throws Exception {
        runProbe("watcher", "channel");
    }

    /** Channels and descriptors on one virtual loop: offloaded select plus the readiness watcher. */
    @Test
    void virtualLoopWaitingOnChannelsAndDescriptorsLeavesTheOnlyCarrierFree() throws Exception {
        runProbe("watcher", "mixed");
    }

    private static void runProbe(String mode, String kind) throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(List.of(java,
                "--enable-native-access=ALL-UNNAMED",
                "-Deventloop4j.virtualPollMode=" + mode,
                "-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                "-cp", System.getProperty("java.class.path"),
                VirtualLoopPinningProbe.class.getName(), kind));
        // Output to a file, not a pipe read after waitFor: a child that printed more than the pipe holds (a FAIL with
        // many pinned stacks) would block on it and show up as a timeout instead of its own message.
        Path log = Files.createTempFile("pinning-probe-" + mode + "-" + kind, ".log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertThat(exited).as("probe finished; output:\n" + out).isTrue();
        assertThat(out).as(out).contains("PASS variant=java21 pinnedEvents=0");
        assertThat(p.exitValue()).isZero();
    }
}

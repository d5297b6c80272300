package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The core tests run against the packaged multi-release jar (failsafe), once on the build JDK (21+) and once on
 * JDK 17 (.ci/run), so this pins which overlay variant each JDK loads.
 */
class RuntimeVariantTest {

    @Test
    void loadsTheOverlayOnJava21AndTheBaseOnJava17() {
        String expected = Runtime.version().feature() >= 21 ? "java21" : "java17";
        assertThat(EventLoop.runtimeVariant()).isEqualTo(expected);
    }

    @Test
    void testsRunAgainstThePackagedMultiReleaseJar() {
        String where = EventLoop.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertThat(where).as("core classes must come from the jar, where the overlay lives").endsWith(".jar");
    }

    @Test
    void virtualLoopThreadOnlyOnJava21() throws Exception {
        if (Runtime.version().feature() < 21) {
            assertThatThrownBy(() -> EventLoop.builder().virtualThread(true).build())
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Java 21");
            return;
        }
        EventLoop loop = EventLoop.builder().virtualThread(true).build().start();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicBoolean virtual = new AtomicBoolean();
        loop.execute(() -> {
            virtual.set(isVirtual());
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(virtual).isTrue();
        loop.close();
    }

    private static boolean isVirtual() {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}

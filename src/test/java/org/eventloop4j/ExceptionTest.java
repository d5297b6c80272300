package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A callback that throws never stops the loop. */
class ExceptionTest {
    final LoopFixture f = new LoopFixture();

    @Test
    void throwingCallbacksGoToTheHandlerAndTheNextCallbackRuns() {
        EventLoop loop = f.manual();
        loop.execute(() -> {
            throw new IllegalStateException("task");
        });
        loop.execute(f.log("after task"));
        loop.setTimeout(() -> {
            loop.queueMicrotask(() -> {
                throw new IllegalArgumentException("microtask");
            });
            loop.queueMicrotask(f.log("next microtask"));
            throw new RuntimeException("timer");
        }, 1);
        loop.setImmediate(() -> {
            throw new UnsupportedOperationException("immediate");
        });
        loop.advanceTime(1);
        assertThat(f.log).containsExactly("after task", "next microtask");
        assertThat(f.uncaught).extracting(Throwable::getMessage)
                .containsExactly("task", "immediate", "timer", "microtask");
    }

    @Test
    void stackOverflowErrorIsHandledLikeAnyThrowable() {
        EventLoop loop = f.idleExiting();
        loop.execute(ExceptionTest::recurse);
        loop.execute(f.log("still running"));
        loop.run();
        assertThat(f.uncaught).hasSize(1).first().isInstanceOf(StackOverflowError.class);
        assertThat(f.log).containsExactly("still running");
    }

    @Test
    void aThrowingHandlerDoesNotStopTheLoop() {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).uncaughtExceptionHandler((l, e) -> {
            throw new RuntimeException("handler broke");
        }).build();
        loop.execute(() -> {
            throw new RuntimeException("callback");
        });
        loop.execute(f.log("next"));
        loop.run();
        assertThat(f.log).containsExactly("next");
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        EventLoop loop = f.idleExiting();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loop.execute(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("task");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loop.setTimeout(null, 1))
                .isInstanceOf(NullPointerException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventLoop.builder().maxTasksPerTurn(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventLoop.builder().ingressChunkSize(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ManualClock().advance(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backwards");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loop.advanceTime(1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ManualClock");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IoEvents.checkInterest(IoEvents.HANGUP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HANGUP");
        loop.clearTimeout(-5);
        loop.clearTimeout(123456);
        loop.clearImmediate(0);
        loop.run();
    }

    private static int recurse() {
        return recurse() + 1;
    }
}

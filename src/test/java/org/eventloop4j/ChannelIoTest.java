package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded default: NIO channels through a Selector, on every OS. */
class ChannelIoTest {
    final LoopFixture f = new LoopFixture();

    @Test
    void readReadinessFromAnotherThreadsWriteRunsTheHandlerWithACheckpoint() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<String> got = new CompletableFuture<>();
        loop.execute(() -> loop.register(pipe.source(), IoEvents.READ, (r, ev) -> {
            ByteBuffer b = ByteBuffer.allocate(16);
            try {
                int n = ((Pipe.SourceChannel) r.channel()).read(b);
                f.log.add("read " + n + " " + IoEvents.toString(ev));
            } catch (IOException e) {
                got.completeExceptionally(e);
            }
            loop.queueMicrotask(() -> got.complete(String.join(",", f.snapshot())));
            r.cancel();
        }));
        pipe.sink().write(ByteBuffer.wrap("abc".getBytes()));
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("read 3 READ");
        loop.close();
        pipe.sink().close();
        pipe.source().close();
    }

    @Test
    void writeInterestReportsWritableAndCanBeSwitchedOff() throws Exception {
        EventLoop loop = f.idleExiting();
        Pipe pipe = Pipe.open();
        pipe.sink().configureBlocking(false);
        int[] calls = {0};
        loop.register(pipe.sink(), IoEvents.WRITE, (r, ev) -> {
            calls[0]++;
            assertThat(ev & IoEvents.WRITE).isNotZero();
            r.interest(0);
            r.unref();
        });
        loop.run();
        assertThat(calls[0]).isEqualTo(1);
        pipe.sink().close();
        pipe.source().close();
    }

    @Test
    void aRegistrationKeepsTheLoopAliveUntilCancelled() throws Exception {
        EventLoop loop = f.idleExiting();
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        Registration r = loop.register(pipe.source(), IoEvents.READ, (reg, ev) -> { });
        assertThat(loop.isAlive()).isTrue();
        loop.setTimeout(r::cancel, 1);
        loop.run();
        assertThat(r.isActive()).isFalse();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        pipe.sink().close();
        pipe.source().close();
    }

    @Test
    void blockingChannelsAndBadInterestAreRejected() throws Exception {
        EventLoop loop = f.idleExiting();
        Pipe pipe = Pipe.open();
        assertThatThrownBy(() -> loop.register(pipe.source(), IoEvents.READ, (r, ev) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configureBlocking(false)");
        pipe.source().configureBlocking(false);
        assertThatThrownBy(() -> loop.register(pipe.source(), 64, (r, ev) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interest");
        pipe.sink().close();
        pipe.source().close();
        loop.close();
    }

    @Test
    void rawDescriptorsWithoutANativePollerFailNamingTheArtifact() {
        EventLoop loop = f.idleExiting();
        assertThatThrownBy(() -> loop.register(0, IoEvents.READ, (r, ev) -> { }))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("eventloop4j-poller-epoll");
        loop.close();
    }

    @Test
    void namingAMissingPollerListsWhatWasFound() {
        EventLoop loop = f.builder().poller("nosuch").build();
        assertThatThrownBy(() -> loop.register(0, IoEvents.READ, (r, ev) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no poller named 'nosuch'");
        loop.close();
    }
}

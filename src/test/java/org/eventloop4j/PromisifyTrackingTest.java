package org.eventloop4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * White-box: the structure that tracks promisified work (what {@code close()} must reject) empties as promises
 * settle, whichever way they settle, and abort steps are removed from long-lived signals.
 */
class PromisifyTrackingTest {

    @Test
    void manyCallsLeaveNothingTrackedWhateverWayTheySettle() {
        EventLoop loop = EventLoop.builder().exitWhenIdle(true).build();
        AbortController longLived = new AbortController(loop);    // never aborted
        List<Promise<?>> promises = new ArrayList<>();
        int[] checkedDuringRun = {-1};
        loop.execute(() -> {
            for (int i = 0; i < 600; i++) {
                int n = i;
                Promise<Object> p;
                switch (i % 3) {
                    case 0:
                        p = Promise.promisify(loop, () -> n, longLived.signal());
                        break;
                    case 1:
                        p = Promise.promisify(loop, () -> {
                            throw new IllegalStateException("task " + n);
                        });
                        break;
                    default:
                        AbortController ac = new AbortController(loop);
                        p = Promise.promisify(loop, () -> {
                            new CountDownLatch(1).await();      // until interrupted by the abort
                            return n;
                        }, ac.signal());
                        ac.abort();
                        break;
                }
                p.catchError(e -> null);
                promises.add(p);
            }
            checkedDuringRun[0] = PromiseHost.of(loop).offLoopWork().pendingCount();
        });
        loop.run();
        assertThat(checkedDuringRun[0]).as("tracked while in flight (aborted ones dropped at once)")
                .isBetween(1, 400);
        assertThat(promises).allSatisfy(p -> assertThat(p.state()).isNotEqualTo(Promise.State.PENDING));
        assertThat(PromiseHost.of(loop).offLoopWork().pendingCount()).isZero();
        assertThat(longLived.signal().algorithmCount()).as("abort steps removed on settlement").isZero();
    }

    @Test
    void closeRejectsAndUntracksEverything() throws Exception {
        EventLoop loop = EventLoop.builder().build().start();
        // 3 surely start (the Java 17 pool has at least 4 threads); on Java 17 the rest may wait in the pool's queue,
        // and close() must reject those as well
        CountDownLatch started = new CountDownLatch(3);
        List<Promise<Object>> promises = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            promises.add(Promise.promisify(loop, () -> {
                started.countDown();
                new CountDownLatch(1).await();
                return null;
            }));
        }
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(PromiseHost.of(loop).offLoopWork().pendingCount()).isEqualTo(20);
        loop.close();
        assertThat(PromiseHost.of(loop).offLoopWork().pendingCount()).isZero();
        assertThat(promises).allSatisfy(p -> assertThat(p.reason()).isInstanceOf(LoopTerminatedException.class));
    }
}

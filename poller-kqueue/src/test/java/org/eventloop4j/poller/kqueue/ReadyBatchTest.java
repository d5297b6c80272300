package org.eventloop4j.poller.kqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadyBatchTest {

    @Test
    void mergesEntriesWithTheSameDescriptorAndTokenKeepingArrivalOrder() {
        ReadyBatch b = new ReadyBatch(8);
        b.add(5, 50, 1);
        b.add(6, 60, 1);
        b.add(5, 50, 2);
        b.add(5, 51, 2); // same descriptor, other token: kept apart
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.fd(0)).isEqualTo(5);
        assertThat(b.events(0)).isEqualTo(3);
        assertThat(b.fd(1)).isEqualTo(6);
        assertThat(b.token(2)).isEqualTo(51);
    }

    @Test
    void clearForgetsEverythingAndOverflowIsRefused() {
        ReadyBatch b = new ReadyBatch(64);
        for (int round = 0; round < 3; round++) {
            b.clear();
            for (int fd = 0; fd < 64; fd++) {
                b.add(fd, fd, 1);
                b.add(fd, fd, 2);
            }
            assertThat(b.size()).isEqualTo(64);
            for (int i = 0; i < 64; i++) {
                assertThat(b.fd(i)).isEqualTo(i);
                assertThat(b.events(i)).isEqualTo(3);
            }
        }
        assertThatThrownBy(() -> b.add(1000, 1, 1)).isInstanceOf(IllegalStateException.class);
    }
}

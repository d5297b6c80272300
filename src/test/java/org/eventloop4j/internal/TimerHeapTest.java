package org.eventloop4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TimerHeapTest {
    static final class Node extends HeapNode {
        final int name;

        Node(int name, long deadline, long seq) {
            this.name = name;
            this.deadline = deadline;
            this.seq = seq;
        }
    }

    @Test
    void randomAddRemovePollMatchesASortedModel() {
        Random rnd = new Random(7);
        TimerHeap<Node> heap = new TimerHeap<>();
        TreeSet<Node> model = new TreeSet<>(Comparator.<Node>comparingLong(n -> n.deadline).thenComparingLong(n -> n.seq));
        List<Node> live = new ArrayList<>();
        long seq = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                Node n = new Node(step, rnd.nextInt(1000), seq++);
                heap.add(n);
                model.add(n);
                live.add(n);
            } else if (op < 8 && !live.isEmpty()) {
                Node n = live.remove(rnd.nextInt(live.size()));
                assertThat(heap.remove(n)).isTrue();
                assertThat(heap.remove(n)).isFalse();
                model.remove(n);
            } else {
                Node top = heap.poll();
                Node expected = model.pollFirst();
                assertThat(top).isSameAs(expected);
                if (top != null) {
                    live.remove(top);
                    assertThat(top.isQueued()).isFalse();
                }
            }
            assertThat(heap.size()).isEqualTo(model.size());
        }
    }

    @Test
    void longMapMatchesAHashMapUnderRandomChurn() {
        Random rnd = new Random(11);
        LongMap<Long> map = new LongMap<>();
        Map<Long, Long> model = new HashMap<>();
        for (int step = 0; step < 300_000; step++) {
            long key = 1 + rnd.nextInt(5000);
            switch (rnd.nextInt(3)) {
                case 0:
                    if (!model.containsKey(key)) {
                        map.put(key, key * 3);
                        model.put(key, key * 3);
                    }
                    break;
                case 1:
                    assertThat(map.remove(key)).isEqualTo(model.remove(key));
                    break;
                default:
                    assertThat(map.get(key)).isEqualTo(model.get(key));
                    break;
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
    }

    @Test
    void arrayRingIsFifoAcrossGrowth() {
        ArrayRing<Integer> ring = new ArrayRing<>(4);
        int next = 0;
        int expect = 0;
        Random rnd = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            if (rnd.nextBoolean()) {
                ring.add(next++);
            } else if (!ring.isEmpty()) {
                assertThat(ring.poll()).isEqualTo(expect++);
            }
        }
        while (!ring.isEmpty()) {
            assertThat(ring.poll()).isEqualTo(expect++);
        }
        assertThat(expect).isEqualTo(next);
        assertThat(ring.poll()).isNull();
    }
}

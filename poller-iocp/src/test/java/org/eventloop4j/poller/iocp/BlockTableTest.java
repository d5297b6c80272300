package org.eventloop4j.poller.iocp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockTableTest {

    @Test
    void matchesAHashMapOverRandomOperationsOnAlignedAddresses() {
        BlockTable<String> table = new BlockTable<>();
        Map<Long, String> model = new HashMap<>();
        List<Long> live = new ArrayList<>();
        Random random = new Random(7);
        for (int op = 0; op < 200_000; op++) {
            int kind = random.nextInt(10);
            if (kind < 4 || live.isEmpty()) {
                // Block addresses are 16-byte aligned and clustered, as a native allocator hands them out.
                long address = 0x7f00_0000_0000L + 16L * random.nextInt(4096);
                String v = "v" + op;
                table.put(address, v);
                if (model.put(address, v) == null) {
                    live.add(address);
                }
            } else if (kind < 7) {
                Long address = live.remove(random.nextInt(live.size()));
                assertThat(table.remove(address)).isEqualTo(model.remove(address));
            } else {
                long address = random.nextBoolean() && !live.isEmpty()
                        ? live.get(random.nextInt(live.size()))
                        : 0x7f00_0000_0000L + 16L * random.nextInt(4096);
                assertThat(table.get(address)).isEqualTo(model.get(address));
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Long, String> e : model.entrySet()) {
            assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
        }
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(live.isEmpty() ? 16L : live.get(0))).isNull();
    }

    @Test
    void removingFromTheMiddleOfAProbeRunKeepsTheRestReachable() {
        BlockTable<Integer> table = new BlockTable<>();
        // Enough keys in a small table that probe runs form and wrap around.
        for (int i = 1; i <= 11; i++) {
            table.put(i * 16L, i);
        }
        for (int i = 1; i <= 11; i += 2) {
            assertThat(table.remove(i * 16L)).isEqualTo(i);
        }
        for (int i = 1; i <= 11; i++) {
            assertThat(table.get(i * 16L)).isEqualTo(i % 2 == 0 ? Integer.valueOf(i) : null);
        }
        assertThat(table.remove(16L)).isNull();
    }

    @Test
    void addressZeroIsRefused() {
        BlockTable<String> table = new BlockTable<>();
        assertThatThrownBy(() -> table.put(0, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address 0");
        assertThat(table.get(0)).isNull();
        assertThat(table.remove(0)).isNull();
    }
}

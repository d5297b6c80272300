package org.eventloop4j.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/**
 * {@code then} allocates two objects: the derived promise and one reaction, which is also the queued microtask.
 * Measured on JDK 25: 72 bytes per call with compressed oops (40 + 32), 112 without. The bound (128 bytes) is loose so
 * it cannot flake on any heap layout; it catches gross regressions such as a per-reaction array, list node plus
 * wrapper, or a boxed outcome, not a single extra 16-byte object.
 */
class PromiseAllocationTest {

    @Test
    void thenAllocatesOnlyTheDerivedPromiseAndOneReaction() throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Class<?> sunBean;
        try {
            sunBean = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            sunBean = null;
        }
        assumeTrue(sunBean != null && sunBean.isInstance(bean), "needs com.sun.management.ThreadMXBean");
        Method allocated = sunBean.getMethod("getThreadAllocatedBytes", long.class);
        long tid = Thread.currentThread().getId();

        LoopFixture f = new LoopFixture();
        Promise.Handler<Object, Object> handler = v -> v;
        Promise<Object>[] holder = new Promise[1];
        long[] bytes = new long[1];
        f.run(() -> {
            try {
                // warm up: JIT and the reflective call itself
                Promise<Object> warm = Promise.withResolvers(f.loop).promise();
                for (int i = 0; i < 20_000; i++) {
                    warm.then(handler);
                }
                allocated.invoke(bean, tid);
                Promise<Object> pending = Promise.<Object>withResolvers(f.loop).promise();
                holder[0] = pending;
                long before = (long) allocated.invoke(bean, tid);
                for (int i = 0; i < 10_000; i++) {
                    pending.then(handler);
                }
                long after = (long) allocated.invoke(bean, tid);
                bytes[0] = after - before;
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(f.loop.inLoop()).isFalse();
        double perThen = bytes[0] / 10_000.0;
        assertThat(perThen).as("bytes allocated per then()").isLessThan(128.0).isGreaterThan(16.0);
    }
}

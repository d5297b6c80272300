package org.eventloop4j.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A JMH secondary result, {@code loopCpuNsPerOp}: CPU time of the loop thread per operation, over the iteration.
 *
 * <p>Wall-clock throughput of work that runs on a loop thread depends on how much of a core that thread is given;
 * on a shared 2-core machine with other builds running, that varies from iteration to iteration. The loop thread's
 * own CPU time ({@code ThreadMXBean.getThreadCpuTime}, CLOCK_THREAD_CPUTIME_ID on Linux) only advances while it
 * runs, so CPU ns per operation is a steadier measure of the work itself. It does include everything the loop
 * thread does for the operation (its turn overhead, queue handling), and nothing of the JMH thread that observes it.
 *
 * <p>JMH prints it as a secondary result in "#" units: read it as ns per operation (mean over the measurement
 * iterations, without an error bar). Only the measurement iterations count; warm-up values are discarded by JMH.
 *
 * <p>Protocol: JMH thread only (thread-scoped state). The first sample of an iteration takes the baseline; every
 * 16th invocation after it updates the figure, so the {@code getThreadCpuTime} call costs the observer little.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class LoopCpu {
    /**
     * Loop-thread CPU ns per operation during this iteration, divided by the number of measurement iterations of
     * all forks: JMH adds EVENTS counters up over them, so the figure it prints is the mean per iteration.
     */
    public double loopCpuNsPerOp;

    private int iterations = 1;
    private long baseCpu = -1;
    private long baseOps;
    private int calls;

    /** Starts a new measurement window. */
    @Setup(Level.Iteration)
    public void reset(BenchmarkParams params) {
        // JMH adds the counter up over every measurement iteration of every fork.
        iterations = Math.max(1, params.getMeasurement().getCount()) * Math.max(1, params.getForks());
        baseCpu = -1;
        calls = 0;
        loopCpuNsPerOp = 0;
    }

    /** @param progress the observed work; called after each invocation's wait */
    void sample(Progress progress) {
        if (baseCpu < 0) {
            baseCpu = progress.loopCpuNanos();
            baseOps = progress.publishedOps();
            return;
        }
        if ((++calls & 15) != 0) {
            return;
        }
        long cpu = progress.loopCpuNanos();
        long ops = progress.publishedOps() - baseOps;
        if (cpu >= 0 && ops > 0) {
            loopCpuNsPerOp = (double) (cpu - baseCpu) / ops / iterations;
        }
    }
}

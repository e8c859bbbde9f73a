package nnc.parallel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.passes.SampleModules;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.SyntheticData;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.parallel.LocalDataParallel;
import nnc.runtime.train.BatchFeeder;
import nnc.runtime.train.EpochOrder;
import org.junit.jupiter.api.Test;

/**
 * A data-parallel step allocates nothing: gradient steps, the exchange, the sum in partition order
 * and the apply steps of two replicas, ten times as many steps allocating (on this thread) less than
 * 8 bytes per further step, where one object per step would take 16 (scalar loops, which allocate
 * nothing even before the JIT compiles them).
 */
class DataParallelAllocationTest {
    @Test
    void aStepOfTwoReplicasAllocatesNothing() {
        Compilation c = SampleModules.stages("playground");
        List<DataParallelModel> replicas = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            DataParallelModel m = c.bundle(Backend.BYTECODE, 10, false).instantiate();
            ParamInit.initialize(m.model(), 1);
            replicas.add(m);
        }
        LocalDataParallel engine = new LocalDataParallel(replicas);
        Dataset data = SyntheticData.circles(2000, 0.1, 1);
        List<BatchFeeder> feeders = List.of(new BatchFeeder(replicas.get(0).model(), data), new BatchFeeder(replicas.get(1).model(), data));
        int[] order = EpochOrder.of(data.rows(), 1, 1, true);
        steps(engine, feeders, order, 300); // warm-up
        long few = steps(engine, feeders, order, 100), many = steps(engine, feeders, order, 1000);
        // one object per step would be at least 16 bytes x 900 steps; measured: 0 bytes, then some 2 kB once (the JIT's own)
        assertTrue(many - few < 900 * 8, few + " bytes for 100 steps, " + many + " for 1000");
    }

    private static long steps(LocalDataParallel engine, List<BatchFeeder> feeders, int[] order, int steps) {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = bean.getThreadAllocatedBytes(id);
        for (int s = 0; s < steps; s++) engine.step(feeders, order, (s % 190) * 10, 10);
        return bean.getThreadAllocatedBytes(id) - before;
    }
}

package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import nnc.driver.Backend;
import nnc.ir.IrModule;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.SyntheticData;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The numerics checks allocate nothing per step: a training run of ten times the steps allocates
 * (on this thread) no more than a short one plus a little, in every mode, with the checked kernels
 * of full mode too (scalar loops, which allocate nothing even before the JIT compiles them).
 */
class NumericsAllocationTest {
    private static long allocatedDuring(CompiledModel m, Dataset data, int epochs, Numerics.Mode mode) {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = bean.getThreadAllocatedBytes(id);
        Trainer.fit(m, data, null, new TrainOptions(epochs, 10, 1, false).withNumerics(mode), TrainListener.NONE);
        return bean.getThreadAllocatedBytes(id) - before;
    }

    @ParameterizedTest
    @EnumSource(Numerics.Mode.class)
    void checksAllocateNothingPerStep(Numerics.Mode mode) {
        IrModule module = Samples.stages("playground").optimized();
        CompiledModel m = Backend.BYTECODE.create(module, 10, false, mode);
        ParamInit.initialize(m, 1);
        Dataset data = SyntheticData.circles(2000, 0.1, 1); // 200 steps per epoch
        allocatedDuring(m, data, 3, mode); // warm-up
        long one = allocatedDuring(m, data, 1, mode), ten = allocatedDuring(m, data, 10, mode);
        long perStep = (ten - one) / (9 * 200);
        // measured: about 14 kB for the run's set-up, some 300 bytes per further epoch (its statistics), nothing per step
        assertTrue(ten - one < 9 * 1_000, mode + ": " + one + " bytes for 1 epoch, " + ten + " for 10 (" + perStep + " per step)");
    }
}

package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import nnc.emit.load.CodeGenerator;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Once the JIT has compiled a trainer, a training step allocates nothing, on the samples whose kernels
 * call the largest {@code VectorMath} functions (erf in GELU, tanh and sigmoid in recurrent cells): a
 * vector function that C2 does not inline (too large, or past its node budget for the caller) runs in
 * the Vector API's allocating fallback, boxing every vector on every step. Measured as the difference
 * between 500 and 50 steps, so the run's set-up does not count; a steady-state allocation shows in
 * every round, a JIT still compiling on a busy machine in some rounds only.
 */
class WarmStepAllocationTest {
    static final int BATCH = 8;

    @ParameterizedTest
    @ValueSource(strings = {"tiny_transformer", "char_rnn"})
    void aWarmStepAllocatesNothing(String sample) {
        CompiledModel m = CodeGenerator.BYTECODE.build(SampleModules.stages(sample).program(), "nnc.generated.Warm_" + sample, BATCH);
        ParamInit.initialize(m, 1);
        SampleModules.feed(m, BATCH, new SplittableRandom(1));
        steps(m, 300); // warm-up
        StringBuilder seen = new StringBuilder();
        long extra = Long.MAX_VALUE;
        for (int round = 0; round < 10 && extra >= 4_000; round++) {
            long few = steps(m, 50), many = steps(m, 500);
            extra = many - few;
            seen.append(few).append(" bytes in 50 steps, ").append(many).append(" in 500; ");
        }
        assertTrue(extra < 4_000, sample + ": " + seen);
    }

    private static long steps(CompiledModel m, int n) {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = bean.getThreadAllocatedBytes(id);
        for (int s = 0; s < n; s++) m.trainStep(BATCH);
        return bean.getThreadAllocatedBytes(id) - before;
    }
}

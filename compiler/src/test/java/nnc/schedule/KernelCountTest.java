package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.kir.KExpr;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fusion guarded by counting kernels: each sample's entries schedule to exactly the kernels
 * recorded here (a change in fusion shows up as a changed count, to be justified and updated),
 * and an MLP's forward layer is one matmul plus one pointwise kernel (bias and activation).
 */
class KernelCountTest {
    /** train, evaluate, predict kernel counts per sample. */
    static final Map<String, List<Integer>> COUNTS = Map.of(
            "fashion_mlp", List.of(37, 9, 4),
            "housing", List.of(11, 5, 2),
            "playground", List.of(18, 7, 4),
            "worked", List.of(17, 5, 4));

    static List<String> samples() { return SampleModules.names(); }

    @ParameterizedTest
    @MethodSource("samples")
    void kernelCountsAreAsRecorded(String sample) {
        KernelProgram p = Scheduler.schedule(SampleModules.stages(sample).optimized());
        assertEquals(COUNTS.get(sample), List.of(p.kernelCount("train"), p.kernelCount("evaluate"), p.kernelCount("predict")),
                sample + " (train, evaluate, predict)\n" + KernelPrinter.print(p));
    }

    @Test
    void anMlpForwardLayerIsAMatmulAndOnePointwiseKernel() {
        KernelProgram p = Scheduler.schedule(SampleModules.stages("fashion_mlp").optimized());
        List<Kernel> predict = p.entry("predict").kernels();
        assertInstanceOf(Kernel.MatMul.class, predict.get(0));
        Kernel.Pointwise act = assertInstanceOf(Kernel.Pointwise.class, predict.get(1));
        // relu(x·W + b) in one loop over [batch,128]
        KExpr.Unary relu = assertInstanceOf(KExpr.Unary.class, act.value());
        assertEquals(nnc.ir.UnaryFn.RELU, relu.fn());
        assertInstanceOf(KExpr.Binary.class, relu.x());
        assertInstanceOf(Kernel.MatMul.class, predict.get(2));
        assertInstanceOf(Kernel.Pointwise.class, predict.get(3));
    }
}

package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nnc.driver.KernelPipeline;
import nnc.ir.IrModule;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Epilogues change no bit: every sample trained (then evaluated and predicted) with the epilogues of
 * products and reductions (bias, activation, optimiser updates, the loss's division), through both
 * emitters, matches the same program scheduled without them; and the epilogues remove exactly as
 * many kernels as they absorb.
 */
class MatmulEpilogueTest {
    static List<String> samples() { return SampleModules.names(); }

    /** Train-step kernels as if none were fused: a fused kernel counts its parts, an epilogue its head and parts. */
    static long unfused(KernelProgram p) {
        return all(p.entry("train").kernels()).stream().mapToLong(MatmulEpilogueTest::unfused).sum();
    }

    private static long unfused(Kernel k) {
        return switch (k) {
            case Kernel.Fused f -> f.parts().size();
            case Kernel.Reduce r -> 1 + r.prologue().size();
            case Kernel.WithEpilogue w -> unfused(w.head()) + w.stages().stream().mapToLong(MatmulEpilogueTest::unfused).sum();
            default -> 1;
        };
    }

    /** The kernels and, in place of each loop, the loop and its body's kernels. */
    static List<Kernel> all(List<Kernel> kernels) {
        List<Kernel> out = new ArrayList<>();
        for (Kernel k : kernels) {
            out.add(k);
            if (k instanceof Kernel.Loop l) out.addAll(all(l.body()));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("samples")
    void epiloguesAreBitwiseLikeSeparateKernels(String sample) {
        IrModule module = SampleModules.stages(sample).optimized();
        KernelProgram plain = KernelPipeline.of(false).compile(module);
        KernelProgram fused = KernelPipeline.of(true).compile(module);
        assertTrue(all(fused.entry("train").kernels()).stream().anyMatch(k -> k instanceof Kernel.WithEpilogue w && w.head() instanceof Kernel.MatMul),
                sample + ": no matmul took an epilogue");
        assertTrue(all(plain.entry("train").kernels()).stream().noneMatch(k -> k instanceof Kernel.WithEpilogue), sample);
        assertEquals(unfused(plain), unfused(fused), sample);
        assertTrue(fused.kernelCount("train") < plain.kernelCount("train"), sample);
        SampleModules.assertBitwiseLike(plain, fused, sample);
    }
}

package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.ir.IrModule;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.memory.MemoryPlanner;
import nnc.passes.SampleModules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Matmul epilogues change no bit: every sample trained (then evaluated and predicted) with
 * epilogues, through both emitters, matches the same program scheduled without them; and the
 * epilogues remove exactly as many kernels as they absorb.
 */
class MatmulEpilogueTest {
    static List<String> samples() { return SampleModules.names(); }

    /** Train-step kernels as if none were fused pointwise kernels: a fused kernel counts its parts. */
    static long unfused(KernelProgram p) {
        return all(p.entry("train").kernels()).stream().mapToLong(k -> k instanceof Kernel.Fused f ? f.parts().size() : 1).sum();
    }

    /** The kernels and, in place of each loop, the loop and its body's kernels. */
    static List<Kernel> all(List<Kernel> kernels) {
        List<Kernel> out = new java.util.ArrayList<>();
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
        KernelProgram plain = MemoryPlanner.plan(Scheduler.schedule(module, false));
        KernelProgram fused = MemoryPlanner.plan(Scheduler.schedule(module, true));
        long epilogues = all(fused.entry("train").kernels()).stream().filter(k -> k instanceof Kernel.MatMul m && m.epilogue() != null).count();
        assertTrue(epilogues > 0, sample + ": no matmul took an epilogue");
        assertEquals(unfused(plain) - epilogues, unfused(fused), sample);
        SampleModules.assertBitwiseLike(plain, fused, sample);
    }
}

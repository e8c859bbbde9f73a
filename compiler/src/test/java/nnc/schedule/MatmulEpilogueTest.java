package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import nnc.emit.Emitters;
import nnc.ir.IrModule;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.memory.MemoryPlanner;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Matmul epilogues change no bit: every sample trained (then evaluated and predicted) with
 * epilogues, through both emitters, matches the same program scheduled without them; and the
 * epilogues remove exactly as many kernels as they absorb.
 */
class MatmulEpilogueTest {
    static List<String> samples() { return SampleModules.names(); }

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
        assertEquals(all(plain.entry("train").kernels()).size() - epilogues, all(fused.entry("train").kernels()).size(), sample);
        int batch = 8;
        CompiledModel ref = run(Emitters.Backend.JAVA, plain, batch, "NoEpilogue");
        for (Emitters.Backend backend : Emitters.Backend.values()) {
            CompiledModel m = run(backend, fused, batch, "Epilogue" + backend);
            for (TensorSpec t : module.info().tensors()) {
                if (t.role() == Role.INPUT || t.role() == Role.TARGET) continue;
                int n = t.elementCount(batch);
                float[] a = Arrays.copyOf(ref.floats(t.name()), n), b = Arrays.copyOf(m.floats(t.name()), n);
                for (int k = 0; k < n; k++)
                    assertEquals(Float.floatToIntBits(a[k]), Float.floatToIntBits(b[k]), sample + " " + backend + ": " + t.name() + "[" + k + "]");
            }
        }
    }

    private static CompiledModel run(Emitters.Backend backend, KernelProgram p, int batch, String suffix) {
        CompiledModel m = SampleModules.train(backend.build(p, "nnc.generated." + p.info().name() + suffix, batch), batch, 4);
        SampleModules.feed(m, batch, new SplittableRandom(3));
        m.evaluate(batch);
        m.predict(batch);
        return m;
    }
}

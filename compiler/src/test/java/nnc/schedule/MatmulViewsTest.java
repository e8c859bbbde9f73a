package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import nnc.driver.Compilation;
import nnc.driver.KernelPipeline;
import nnc.ir.IrModule;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.Test;

/**
 * Attention's head copies folded into its batched products' strides change no bit: the models with
 * attention, trained (then evaluated and predicted) through both emitters, match the same program
 * compiled without the {@code matmul-views} pass, and the pass removed one copy per view it made.
 */
class MatmulViewsTest {
    @Test
    void tinyTransformerIsBitwiseLikeWithTheCopies() {
        check(SampleModules.stages("tiny_transformer").optimized(), "tiny_transformer", 8);
    }

    /** The benchmark's encoder block (4 heads of 16, T 32): Q·Kᵀ, P·V and the four products of their gradients. */
    @Test
    void encoderBlockIsBitwiseLikeWithTheCopies() {
        check(Compilation.of(Path.of("..", "benchmarks", "models", "encoder.nn")).optimized(), "encoder", 8);
    }

    private static void check(IrModule module, String what, int expectedFoldedCopies) {
        KernelProgram plain = KernelPipeline.of(true, false).compile(module);
        KernelProgram viewed = KernelPipeline.of(true, true).compile(module);
        List<Kernel> before = MatmulEpilogueTest.all(plain.entry("train").kernels()), after = MatmulEpilogueTest.all(viewed.entry("train").kernels());
        assertTrue(before.stream().noneMatch(k -> k instanceof Kernel.MatMul m && m.views() != null), what);
        long views = after.stream().filter(k -> k instanceof Kernel.MatMul m && m.views() != null).count();
        assertTrue(views >= 1, what + ": no product reads in place");
        assertEquals(expectedFoldedCopies, before.size() - after.size(), what + ": copies folded");
        SampleModules.assertBitwiseLike(plain, viewed, what);
    }
}

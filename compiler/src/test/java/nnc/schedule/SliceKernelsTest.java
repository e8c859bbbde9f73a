package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.ir.GraphPrinter;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.types.Size;
import org.junit.jupiter.api.Test;

/**
 * Slices and pads in the Kernel IR: a slice read by a loop is a load at an offset inside that loop
 * (no copy), vectorised when its inner axis is contiguous; a pad is a guarded load under a select on
 * the index range, and a kernel holding one stays scalar.
 */
class SliceKernelsTest {
    private static KernelProgram.Entry predict(String body, String input, String output) {
        String src = "model M {\n  input x: " + input + "\n  target y: " + output + "\n  output p = " + body + "\n  loss mse(p, y)\n}\n";
        return Compilation.of(new SourceFile("m.nn", src)).program().entry("predict");
    }

    private static Kernel.Pointwise only(KernelProgram.Entry e) {
        assertEquals(1, e.kernels().size(), () -> "one kernel: " + e.kernels());
        return (Kernel.Pointwise) e.kernels().get(0);
    }

    private static int count(String text, String part) { return text.split(Pattern.quote(part), -1).length - 1; }

    @Test
    void aSliceReadByAnElementwiseLoopIsAnOffsetLoadThatStaysVectorised() {
        Kernel.Pointwise k = only(predict("tanh(x[:, 2:14])", "f32[batch, 16]", "f32[batch, 12]"));
        KExpr.Load load = KExpr.loads(k.value()).get(0);
        assertEquals(List.of(Size.of(16), Size.of(1)), load.strides());
        assertEquals(List.of(Size.of(2)), load.offset());
        assertFalse(load.guarded());
        assertTrue(VectorPlan.of(k, LoopNest.of(k)).isPresent(), "the inner axis is contiguous");
    }

    @Test
    void anIndexDropsItsAxisIntoTheOffsetAndAStepScalesTheStride() {
        Kernel.Pointwise k = only(predict("exp(x[:, -1, ::2])", "f32[batch, 3, 8]", "f32[batch, 4]"));
        KExpr.Load load = KExpr.loads(k.value()).get(0);
        assertEquals(List.of(Size.of(24), Size.of(2)), load.strides());
        assertEquals(List.of(Size.of(16)), load.offset());
        assertTrue(VectorPlan.of(k, LoopNest.of(k)).isEmpty(), "a step of 2 is not a vector load");
    }

    @Test
    void concatIsOneScalarKernelOfGuardedLoads() {
        Kernel.Pointwise k = only(predict("concat(x, x, axis = 1)", "f32[batch, 3]", "f32[batch, 6]"));
        List<KExpr.Load> loads = KExpr.loads(k.value());
        assertEquals(2, loads.size());
        assertTrue(loads.stream().allMatch(KExpr.Load::guarded));
        assertEquals(List.of(Size.of(-3)), loads.get(1).offset(), "the second part starts 3 columns in");
        assertTrue(VectorPlan.of(k, LoopNest.of(k)).isEmpty(), "vector code would read outside the parts");
    }

    @Test
    void aPadAlongAnOuterAxisStaysVectorisedUnderALazySelect() {
        Kernel.Pointwise k = only(predict("tanh(pad(x, 0, 0, 1, 2))", "f32[batch, 3, 16]", "f32[batch, 6, 16]"));
        assertTrue(KExpr.loads(k.value()).get(0).guarded());
        assertTrue(VectorPlan.of(k, LoopNest.of(k)).isPresent(), "each row is read whole or not at all");
    }

    @Test
    void aSlicesGradientIsAPadAndItsPadsGradientASlice() {
        String src = "model M {\n  input x: f32[batch, 4]\n  target y: f32[batch, 2]\n  param W: f32[4, 4]\n"
                + "  h = x @ W\n  output p = pad(h[:, 1:3], 1, 0)[:, 1:]\n  loss mse(p, y)\n}\n";
        String ir = GraphPrinter.print(Compilation.of(new SourceFile("m.nn", src)).differentiated().train());
        // forward: slice, pad, slice (both slices read columns 1:3); backward: the last slice's pad, the pad's slice, the first slice's pad
        assertEquals(3, count(ir, "slice[:,1:3:1]"), ir);
        assertEquals(2, count(ir, "pad[0:0,1:0]"), ir);
        assertEquals(1, count(ir, "pad[0:0,1:1]"), ir);
    }
}

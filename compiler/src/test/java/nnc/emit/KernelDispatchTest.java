package nnc.emit;

import static nnc.emit.ProgramBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.runtime.Role;
import nnc.types.Dim;
import nnc.types.Size;
import org.junit.jupiter.api.Test;

/** The one dispatch from kernel kinds to the statements both emitters write, observed through a recording writer. */
class KernelDispatchTest {
    /** Records each statement as a line of text. */
    private static final class Recorder implements KernelWriter {
        final List<String> out = new ArrayList<>();

        @Override public void pointwise(List<Kernel.Pointwise> parts, LoopNest nest) { out.add("pointwise " + names(parts)); }
        @Override public void vectorPointwise(List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) { out.add("vectorPointwise " + names(parts)); }
        @Override public void reduce(Kernel.Reduce r, LoopNest nest) { out.add("reduce " + r.out().name()); }
        @Override public void vectorReduce(Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes) {
            out.add((scalarLanes ? "scalarLanes " : "vectorReduce ") + r.out().name());
        }
        @Override public void matmul(Kernel.MatMul m, IntExpr rows, IntExpr cols, IntExpr depth) {
            out.add("matmul " + rows.text() + "x" + depth.text() + "x" + cols.text());
        }
        @Override public void batchedMatmul(Kernel.MatMul m, IntExpr count, IntExpr rows, IntExpr cols, IntExpr depth) {
            out.add("batchedMatmul " + count.text());
        }
        @Override public void libraryCall(Kernel.Call c, IntExpr n) { out.add("call " + c.fn().routine()); }
        @Override public void scatterAdd(Kernel.ScatterAdd s, IntExpr positions) { out.add("scatterAdd " + positions.text()); }
        @Override public void beginLoop(Kernel.Loop l) { out.add("loop " + l.steps()); }
        @Override public void stepCopy(Kernel.StepCopy c, IntExpr length) { out.add("copy " + c.from().name() + " " + length.text()); }
        @Override public void callBody(KernelMethod body) { out.add("call " + body.name()); }
        @Override public void endLoop() { out.add("end"); }
        @Override public void warmUpWithScalarLoops(IntExpr extent, Runnable scalarLoops) {
            out.add("warmUp " + extent.text() + " {");
            scalarLoops.run();
            out.add("}");
        }
        @Override public void vectorMethod(Consumer<KernelWriter> stages) {
            out.add("simd {");
            stages.accept(this);
            out.add("}");
        }

        private static String names(List<Kernel.Pointwise> parts) { return String.join(",", parts.stream().map(p -> p.out().name()).toList()); }
    }

    private static List<String> write(KernelMethod km, boolean simd) {
        Recorder r = new Recorder();
        KernelDispatch.write(km, simd, r);
        return r.out;
    }

    @Test
    void aProductWithAnEpilogueWarmsUpWithEveryStagesScalarFormThenWritesTheVectorForms() {
        ProgramBuilder p = new ProgramBuilder("Epilogue");
        Buffer x = p.f32("x", Role.INPUT, B, 64), w = p.f32("w", Role.PARAM, 64, 64), h = p.temp("h", B, 64), y = p.temp("y", B, 64);
        var mm = new Kernel.MatMul(x, w, h, false, false, Dim.BATCH, new Dim.Fixed(64), new Dim.Fixed(64));
        var relu = new Kernel.Pointwise(shape(B, 64), y, un(UnaryFn.RELU, flat(h, shape(B, 64))));
        KernelMethod km = KernelMethod.of("train0", new Kernel.WithEpilogue(mm, List.of(relu)));
        assertEquals(List.of("matmul batchx64x64", "pointwise y"), write(km, false));
        assertEquals(List.of("warmUp 64 * batch {", "matmul batchx64x64", "pointwise y", "}", "simd {", "matmul batchx64x64", "vectorPointwise y", "}"),
                write(km, true));
        assertTrue(km.vectorPlan().isPresent(), "the epilogue's plan makes the method warm up");
    }

    @Test
    void aReductionIntoLanesHasTheScalarTwinOfItsLanesAsItsScalarForm() {
        ProgramBuilder p = new ProgramBuilder("Sum");
        Buffer x = p.f32("x", Role.INPUT, B, 256), s = p.temp("s", B);
        var sum = new Kernel.Reduce(shape(B, 256), List.of(1), ReduceFn.SUM, s, flat(x, shape(B, 256)), List.of());
        KernelMethod km = KernelMethod.of("train0", sum);
        assertEquals(List.of("warmUp 256 {", "scalarLanes s", "}", "simd {", "vectorReduce s", "}"), write(km, true));
        assertEquals(List.of("reduce s"), write(km, false));
    }

    @Test
    void aLoopCopiesInlineAndCallsItsBodyMethods() {
        ProgramBuilder p = new ProgramBuilder("Scan");
        Buffer seq = p.f32("seq", Role.INPUT, B, 4, 8), xt = p.temp("xt", B, 8), ht = p.temp("ht", B, 8);
        var copy = new Kernel.StepCopy(seq, true, xt, false, Size.sym("batch").times(Size.of(8)));
        var tanh = new Kernel.Pointwise(shape(B, 8), ht, un(UnaryFn.TANH, flat(xt, shape(B, 8))));
        var loop = new Kernel.Loop(4, false, List.of(copy, tanh), ht);
        KernelMethod km = KernelMethod.loop("train0", loop, List.of(KernelMethod.of("train0_0", copy), KernelMethod.of("train0_1", tanh)));
        assertEquals(List.of("loop 4", "copy seq 8 * batch", "call train0_1", "end"), write(km, true));
        assertTrue(km.vectorPlan().isEmpty(), "a loop's method has no loop stages of its own");
        assertThrows(IllegalArgumentException.class, () -> write(KernelMethod.of("train1", copy), false), "a step copy only inside its loop");
    }
}

package nnc.emit;

import static nnc.emit.ProgramBuilder.load;
import static nnc.emit.ProgramBuilder.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.kir.MatrixViews;
import nnc.runtime.Role;
import nnc.schedule.MatmulViews;
import nnc.types.Dim;
import org.junit.jupiter.api.Test;

/**
 * When {@code matmul-views} may fold a head copy into a batched product, on hand-made programs: a
 * head split [b, 3, 2·4] → [b, 2, 3, 4] read only by the product folds (strides worked out by hand);
 * it stays when its source is overwritten before the product, or when another kernel reads it.
 */
class MatmulViewsRulesTest {
    private static final Dim B = Dim.BATCH;

    private record Case(ProgramBuilder p, Buffer x, Buffer split, Buffer w, Buffer out) {}

    /** x [b, 3, 8] split into heads [b, 2, 3, 4] (element (b, h, t, d) at b·24 + h·4 + t·8 + d), times w [b, 2, 4, 5]. */
    private static Case heads() {
        ProgramBuilder p = new ProgramBuilder("m");
        Buffer x = p.f32("x", Role.INPUT, B, 3, 8);
        Buffer w = p.f32("w", Role.INPUT, B, 2, 4, 5);
        Buffer split = p.temp("split", B, 2, 3, 4);
        Buffer out = p.f32("out", Role.OUTPUT, B, 2, 3, 5);
        return new Case(p, x, split, w, out);
    }

    private static Kernel.Pointwise split(Case c) { return new Kernel.Pointwise(shape(B, 2, 3, 4), c.split, load(c.x, 24, 4, 8, 1)); }

    private static Kernel.MatMul product(Case c) {
        return new Kernel.MatMul(c.split, c.w, c.out, false, false, Dim.of(3), Dim.of(5), Dim.of(4), Dim.times(Dim.of(2), B));
    }

    private static List<Kernel> predict(KernelProgram p) { return new MatmulViews().run(p).entry("predict").kernels(); }

    @Test
    void aSplitReadOnlyByTheProductFolds() {
        Case c = heads();
        List<Kernel> ks = predict(c.p.entry("predict", split(c), product(c)).build());
        assertEquals(1, ks.size());
        Kernel.MatMul m = (Kernel.MatMul) ks.get(0);
        assertEquals(c.x, m.a());
        assertEquals(new MatrixViews(2, new MatrixViews.View(24, 4, 8), new MatrixViews.View(40, 20, 5), new MatrixViews.View(30, 15, 5)), m.views());
    }

    @Test
    void aSplitWhoseSourceIsOverwrittenFirstStays() {
        Case c = heads();
        Kernel overwrite = new Kernel.Pointwise(shape(B, 3, 8), c.x, new KExpr.Unary(UnaryFn.NEG, load(c.x, 24, 8, 1)));
        List<Kernel> ks = predict(c.p.entry("predict", split(c), overwrite, product(c)).build());
        assertEquals(3, ks.size());
        assertNull(((Kernel.MatMul) ks.get(2)).views());
    }

    @Test
    void aSplitWithAnotherReaderStays() {
        Case c = heads();
        Buffer other = c.p.f32("other", Role.OUTPUT, B, 2, 3, 4);
        Kernel neg = new Kernel.Pointwise(shape(B, 2, 3, 4), other, new KExpr.Unary(UnaryFn.NEG, load(c.split, 24, 12, 4, 1)));
        List<Kernel> ks = predict(c.p.entry("predict", split(c), product(c), neg).build());
        assertEquals(3, ks.size());
        assertNull(((Kernel.MatMul) ks.get(1)).views());
    }
}

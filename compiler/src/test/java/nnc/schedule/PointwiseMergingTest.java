package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import nnc.emit.KernelMethod;
import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.runtime.DType;
import nnc.types.Shape;
import nnc.types.Size;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Which consecutive pointwise kernels run as one loop nest, and which must not. */
class PointwiseMergingTest {
    static final Shape M = Shape.of(4, 8);
    static final Buffer G = buffer(0), W = buffer(1), MOM = buffer(2), VEL = buffer(3), T = buffer(4);

    static Buffer buffer(int id) { return new Buffer(id, "b" + id, DType.F32, M, null); }

    static KExpr.Load at(Buffer b) { return new KExpr.Load(b, M.strides()); }

    static KExpr.Load transposed(Buffer b) { return new KExpr.Load(b, List.of(Size.of(1), Size.of(4))); }

    static Kernel.Pointwise pw(Buffer out, KExpr value) { return new Kernel.Pointwise(M, out, value); }

    @Test
    void anAdamLikeUpdateBecomesOneKernel() {
        Kernel m = pw(MOM, new KExpr.Binary(BinaryFn.ADD, new KExpr.Binary(BinaryFn.MUL, new KExpr.Const(0.9f), at(MOM)), at(G)));
        Kernel v = pw(VEL, new KExpr.Binary(BinaryFn.MUL, at(G), at(G)));
        Kernel w = pw(W, new KExpr.Binary(BinaryFn.SUB, at(W), new KExpr.Binary(BinaryFn.DIV, at(MOM), new KExpr.Unary(UnaryFn.SQRT, at(VEL)))));
        List<Kernel> merged = PointwiseMerging.merge(List.of(m, v, w));
        assertEquals(1, merged.size());
        assertEquals(List.of(m, v, w), assertInstanceOf(Kernel.Fused.class, merged.get(0)).parts());
    }

    @Test
    void aKernelReadingAnotherPointOfAnEarlierOutputStaysApart() {
        Kernel first = pw(T, new KExpr.Unary(UnaryFn.NEG, at(G)));
        Kernel second = pw(W, new KExpr.Binary(BinaryFn.ADD, transposed(T), at(G))); // element (i, j) reads T at another point
        assertEquals(List.of(first, second), PointwiseMerging.merge(List.of(first, second)));
    }

    @Test
    void anEarlierKernelReadingAnotherPointOfALaterOutputStaysApart() {
        Kernel first = pw(T, transposed(W));
        Kernel second = pw(W, at(G)); // would overwrite W before the first part read it elsewhere
        assertEquals(List.of(first, second), PointwiseMerging.merge(List.of(first, second)));
    }

    @Test
    void kernelsWithoutALanewiseFormOrOverOtherDomainsStayApart() {
        Kernel pow = pw(T, new KExpr.Binary(BinaryFn.POW, at(G), at(G))); // pow has no lanes
        Kernel plain = pw(W, at(G));
        Kernel other = new Kernel.Pointwise(Shape.of(8, 4), VEL, new KExpr.Load(G, Shape.of(8, 4).strides()));
        assertEquals(List.of(pow, plain, other), PointwiseMerging.merge(List.of(pow, plain, other)));
    }

    static final Buffer STEP = new Buffer(5, "step", DType.F32, Shape.SCALAR, null), RATE = new Buffer(6, "rate", DType.F32, Shape.SCALAR, null);

    /** A scalar kernel between the moments and the weight update (which reads it) moves before them, so all three join. */
    @Test
    void anIndependentKernelInBetweenMovesAheadOfTheGroup() {
        Kernel m = pw(MOM, new KExpr.Binary(BinaryFn.MUL, at(MOM), at(G)));
        Kernel v = pw(VEL, new KExpr.Binary(BinaryFn.MUL, at(VEL), at(G)));
        Kernel rate = new Kernel.Pointwise(Shape.SCALAR, RATE, new KExpr.Binary(BinaryFn.DIV, new KExpr.Const(1f), new KExpr.Load(STEP, List.of())));
        KExpr uniformRate = new KExpr.Load(RATE, List.of(Size.of(0), Size.of(0)));
        Kernel w = pw(W, new KExpr.Binary(BinaryFn.SUB, at(W), new KExpr.Binary(BinaryFn.MUL, uniformRate, new KExpr.Binary(BinaryFn.DIV, at(MOM), at(VEL)))));
        List<Kernel> merged = PointwiseMerging.merge(List.of(m, v, rate, w));
        assertEquals(2, merged.size());
        assertEquals(rate, merged.get(0));
        assertEquals(List.of(m, v, w), assertInstanceOf(Kernel.Fused.class, merged.get(1)).parts());
    }

    /** A kernel in between that reads what the group wrote stays after it. */
    @Test
    void aDependentKernelInBetweenStaysWhereItIs() {
        Kernel m = pw(MOM, new KExpr.Binary(BinaryFn.MUL, at(MOM), at(G)));
        Kernel sum = new Kernel.Pointwise(Shape.SCALAR, RATE, new KExpr.Load(MOM, List.of()));
        Kernel w = pw(W, at(MOM));
        assertEquals(List.of(m, sum, w), PointwiseMerging.merge(List.of(m, sum, w)));
    }

    /**
     * Independent same-shaped updates (a deep model's parameters) join only while the kernel fits in
     * a method: 300 copies {@code out_k = in_k} take 600 buffers, so they become several kernels,
     * each within {@link MergeBudget}, running the parts in their order.
     */
    @Test
    void aGroupStopsAtWhatAMethodTakes() {
        List<Kernel> copies = new ArrayList<>();
        for (int k = 0; k < 300; k++) copies.add(pw(buffer(2 * k + 1), at(buffer(2 * k))));
        List<Kernel> merged = PointwiseMerging.merge(copies);
        assertEquals(3, merged.size(), merged.size() + " kernels");
        List<Kernel> parts = new ArrayList<>();
        for (Kernel k : merged) {
            Assertions.assertTrue(MergeBudget.fits(k) && MergeBudget.buffers(k).size() <= KernelMethod.MAX_BUFFER_PARAMS);
            parts.addAll(assertInstanceOf(Kernel.Fused.class, k).parts());
        }
        assertEquals(copies, parts);
    }

    /** The node budget: 100 parts of 10 nodes (well under 250 buffers) make more than one kernel. */
    @Test
    void aGroupStopsAtTheBytecodeBudget() {
        List<Kernel> updates = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            KExpr v = at(buffer(0));
            for (int d = 0; d < 4; d++) v = new KExpr.Binary(BinaryFn.ADD, v, new KExpr.Const(d));
            updates.add(pw(buffer(k + 1), v));
        }
        List<Kernel> merged = PointwiseMerging.merge(updates);
        assertEquals(3, merged.size());
        for (Kernel k : merged) Assertions.assertTrue(MergeBudget.nodes(k) <= MergeBudget.MAX_NODES, MergeBudget.nodes(k) + " nodes");
    }
}

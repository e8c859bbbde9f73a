package nnc.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;
import org.junit.jupiter.api.Test;

/** When two intermediates may share storage: hand-built kernel sequences, each case on its own. */
class LivenessTest {
    static final Shape S = Shape.of(4, 3);
    static final Buffer X = new Buffer(0, "x", DType.F32, S, Role.INPUT);
    static final Buffer OUT = new Buffer(1, "out", DType.F32, S, Role.OUTPUT);
    static final Buffer T1 = temp(2, S), T2 = temp(3, S), T3 = temp(4, S);

    static Buffer temp(int id, Shape s) { return new Buffer(id, "t" + id, DType.F32, s, null); }

    static KExpr flat(Buffer b) { return new KExpr.Load(b, b.shape().strides()); }

    static Kernel exp(Buffer in, Buffer out) { return new Kernel.Pointwise(S, out, new KExpr.Unary(UnaryFn.EXP, flat(in))); }

    @Test
    void aPointwiseKernelMayWriteOverAContiguousInputThatDiesThere() {
        Liveness l = new Liveness(List.of(exp(X, T1), exp(T1, T2), exp(T2, OUT)));
        assertFalse(l.interfere(T1, T2));
        assertFalse(l.interfere(T2, T1));
    }

    @Test
    void notWhenTheInputLivesOn() {
        Liveness l = new Liveness(List.of(exp(X, T1), exp(T1, T2),
                new Kernel.Pointwise(S, OUT, new KExpr.Binary(BinaryFn.ADD, flat(T1), flat(T2)))));
        assertTrue(l.interfere(T1, T2));
    }

    @Test
    void notWhenTheInputIsReadAtOtherElements() {
        // t2[i, j] = t1[j, i]-style access: strides other than the domain's
        Kernel transposed = new Kernel.Pointwise(S, T2, new KExpr.Unary(UnaryFn.NEG, new KExpr.Load(T1, List.of(Size.of(1), Size.of(4)))));
        Liveness l = new Liveness(List.of(exp(X, T1), transposed, exp(T2, OUT)));
        assertTrue(l.interfere(T1, T2));
    }

    /**
     * A gather reads its table at rows chosen by data, so a kernel never writes over
     * the table in place, even when the table's last use is there and its load looks contiguous (a
     * one-row table [1, 3] gathered over the domain [3]).
     */
    @Test
    void notOverAGatheredTable() {
        Shape row = Shape.of(3);
        Buffer table = temp(5, Shape.of(1, 3)), ids = new Buffer(6, "ids", DType.I32, Shape.SCALAR, Role.INPUT), picked = temp(7, row);
        Kernel fill = new Kernel.Pointwise(Shape.of(1, 3), table, new KExpr.Load(X, List.of(Size.of(3), Size.of(1))));
        Kernel gather = new Kernel.Pointwise(row, picked,
                new KExpr.Gather(new KExpr.Load(ids, List.of(Size.of(0))), new KExpr.Load(table, List.of(Size.of(1))), 1, 3));
        Kernel use = new Kernel.Pointwise(row, OUT, new KExpr.Unary(UnaryFn.EXP, flat(picked)));
        Liveness l = new Liveness(List.of(fill, gather, use));
        assertTrue(l.interfere(table, picked));
    }

    @Test
    void notWhenTheInputIsBroadcast() {
        Buffer row = temp(5, Shape.of(4, 1));
        Kernel rowSum = new Kernel.Reduce(S, List.of(1), ReduceFn.SUM, row, flat(X));
        Kernel spread = new Kernel.Pointwise(S, T2, new KExpr.Load(row, List.of(Size.of(1), Size.of(0))));
        Liveness l = new Liveness(List.of(rowSum, spread, exp(T2, OUT)));
        assertTrue(l.interfere(row, T2));
    }

    @Test
    void neverAtAReductionOrAMatmul() {
        Buffer sums = temp(6, Shape.of(4));
        Liveness reduce = new Liveness(List.of(exp(X, T1), new Kernel.Reduce(S, List.of(1), ReduceFn.SUM, sums, flat(T1))));
        assertTrue(reduce.interfere(T1, sums));
        Buffer sq = temp(7, Shape.of(4, 4));
        Liveness matmul = new Liveness(List.of(exp(X, T1),
                new Kernel.MatMul(T1, X, sq, false, true, Dim.of(4), Dim.of(4), Dim.of(3))));
        assertTrue(matmul.interfere(T1, sq));
    }

    @Test
    void disjointLifetimesShareAndOverlappingOnesDoNot() {
        Liveness l = new Liveness(List.of(exp(X, T1), exp(T1, OUT), exp(X, T2), exp(T2, T3), exp(T3, OUT)));
        assertFalse(l.interfere(T1, T2));
        assertFalse(l.interfere(T1, T3));
        Liveness overlapping = new Liveness(List.of(exp(X, T1), exp(X, T2), exp(T1, OUT), exp(T2, OUT)));
        assertTrue(overlapping.interfere(T1, T2));
    }

    @Test
    void aBufferWrittenAgainLaterStaysLiveUntilThen() {
        Liveness l = new Liveness(List.of(exp(X, T1), exp(T1, OUT), exp(X, T2), exp(T2, OUT), exp(X, T1)));
        assertTrue(l.interfere(T1, T2));
    }
}

package nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import nnc.builtins.AttentionBuiltins;
import nnc.builtins.ReductionBuiltins;
import nnc.interp.F64Evaluator;
import nnc.interp.Interpreter;
import nnc.ir.BinaryFn;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.GraphVerifier;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.ScanBody;
import nnc.ir.SpatialFn;
import nnc.ir.UnaryFn;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.Role;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every primitive's VJP rule against central finite differences of the loss, evaluated by the
 * interpreter in f32 (what generated code computes, to a loose tolerance) and by the independent
 * {@link F64Evaluator} in f64 (relative error below 1e-6, plus the inner-product identity
 * ⟨J·t, c⟩ = ⟨t, Jᵀ·c⟩ for a random direction t). Each case builds
 * {@code loss = sum(c ⊙ f(params))} with a random weighting {@code c}, so every output element
 * of {@code f} contributes with a distinct weight.
 */
class GradientCheckTest {
    /** A case: parameter shapes, a value range for them, and the function of the parameters. */
    record Case(String name, List<Shape> shapes, double lo, double hi, BiFunction<GraphBuilder, List<Node>, Node> f) {
        @Override public String toString() { return name; }
    }

    static Case c(String name, double lo, double hi, BiFunction<GraphBuilder, List<Node>, Node> f, Shape... shapes) {
        return new Case(name, List.of(shapes), lo, hi, f);
    }

    static final Shape M34 = Shape.of(3, 4), V4 = Shape.of(4), C31 = Shape.of(3, 1), S = Shape.SCALAR;

    static Stream<Arguments> cases() {
        List<Case> cs = new ArrayList<>();
        for (UnaryFn fn : UnaryFn.values()) {
            boolean positive = fn == UnaryFn.LOG || fn == UnaryFn.SQRT || fn == UnaryFn.LOG1P || fn == UnaryFn.SIGN; // sign: away from its jump
            cs.add(c("unary " + fn, positive ? 0.5 : -2, 2, (b, p) -> b.unary(fn, p.get(0)), M34));
        }
        for (BinaryFn fn : List.of(BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV, BinaryFn.MAX, BinaryFn.MIN)) {
            cs.add(c("binary " + fn + " same shape", 0.5, 2, (b, p) -> b.binary(fn, p.get(0), p.get(1)), M34, M34));
            cs.add(c("binary " + fn + " row broadcast", 0.5, 2, (b, p) -> b.binary(fn, p.get(0), p.get(1)), M34, V4));
            cs.add(c("binary " + fn + " column broadcast", 0.5, 2, (b, p) -> b.binary(fn, p.get(1), p.get(0)), M34, C31));
            cs.add(c("binary " + fn + " scalar", 0.5, 2, (b, p) -> b.binary(fn, p.get(0), p.get(1)), M34, S));
        }
        cs.add(c("pow with constant exponent", 0.5, 2, (b, p) -> b.binary(BinaryFn.POW, p.get(0), b.constant(3)), M34));
        cs.add(c("pow with tensor exponent", 0.5, 2, (b, p) -> b.binary(BinaryFn.POW, p.get(0), p.get(1)), M34, V4));
        cs.add(c("comparison has no gradient", -1, 1, (b, p) -> b.mul(p.get(0), b.binary(BinaryFn.GT, p.get(0), b.constant(0))), M34));
        cs.add(c("sum axis 0", -1, 1, (b, p) -> b.sum(p.get(0), List.of(0), false), M34));
        cs.add(c("sum axis 1 keep", -1, 1, (b, p) -> b.sum(p.get(0), List.of(1), true), M34));
        cs.add(c("max axis 1", -1, 1, (b, p) -> b.reduce(ReduceFn.MAX, p.get(0), List.of(1), false), M34));
        cs.add(c("max all", -1, 1, (b, p) -> b.reduce(ReduceFn.MAX, p.get(0), List.of(0, 1), false), M34));
        cs.add(c("max over a tuple of axes, kept", -1, 1, (b, p) -> b.reduce(ReduceFn.MAX, p.get(0), List.of(0, 2), true), Shape.of(2, 3, 4)));
        cs.add(c("logsumexp over axis 0", -2, 2, (b, p) -> ReductionBuiltins.logSumExp(b, p.get(0), List.of(0), false), M34));
        cs.add(c("logsumexp over a tuple of axes, kept", -2, 2, (b, p) -> ReductionBuiltins.logSumExp(b, p.get(0), List.of(1, 2), true), Shape.of(2, 3, 4)));
        cs.add(c("var over axis 1, unbiased", -1, 1, (b, p) -> ReductionBuiltins.variance(b, p.get(0), List.of(1), false, 1), M34));
        cs.add(c("std over a tuple of axes, correction 0", -1, 1,
                (b, p) -> b.unary(UnaryFn.SQRT, ReductionBuiltins.variance(b, p.get(0), List.of(0, 2), true, 0)), Shape.of(2, 3, 4)));
        cs.add(c("argmax has no gradient", -1, 1, (b, p) -> b.mul(p.get(0), ReductionBuiltins.argmax(b, p.get(0), 1, true, false)), M34));
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true})
                cs.add(c("matmul ta=" + ta + " tb=" + tb, -1, 1, (b, p) -> b.matmul(p.get(0), p.get(1), ta, tb),
                        ta ? Shape.of(4, 3) : Shape.of(3, 4), tb ? Shape.of(5, 4) : Shape.of(4, 5)));
        cs.add(c("where, broadcasting a and b", -1, 1, (b, p) -> b.where(b.binary(BinaryFn.GT, p.get(0), b.constant(0)), p.get(1), p.get(2)),
                M34, V4, C31));
        cs.add(c("where with a constant branch (leaky_relu)", -1, 1,
                (b, p) -> b.where(b.binary(BinaryFn.GT, p.get(0), b.constant(0)), p.get(0), b.mul(p.get(0), b.constant(0.01))), M34));
        cs.add(c("hash (dropout's RNG) is a constant factor: no gradient through it", -1, 1,
                (b, p) -> b.mul(p.get(0), b.binary(BinaryFn.HASH, batchOnes(b), b.constant(7))), V4));
        cs.add(c("transpose last two", -1, 1, (b, p) -> b.transpose(p.get(0), Op.Transpose.lastTwo(2)), M34));
        cs.add(c("transpose rank 3 [2,0,1]", -1, 1, (b, p) -> b.transpose(p.get(0), new Op.Transpose(List.of(2, 0, 1))), Shape.of(2, 3, 4)));
        cs.add(c("transpose then matmul", -1, 1, (b, p) -> b.matmul(p.get(0), b.transpose(p.get(1), Op.Transpose.lastTwo(2)), false, false),
                M34, Shape.of(5, 4)));
        cs.add(c("broadcast", -1, 1, (b, p) -> b.broadcast(p.get(0), M34), C31));
        cs.add(c("reshape", -1, 1, (b, p) -> b.reshape(p.get(0), Shape.of(2, 6)), M34));
        cs.add(c("softmax cross-entropy with one-hot", -2, 2, (b, p) -> {
            Node z = p.get(0);
            Node y = b.node(new Op.Input("labels", Role.TARGET, new TensorType(DType.I32, Shape.of(3))));
            Node m = b.reduce(ReduceFn.MAX, z, List.of(1), true);
            Node lse = b.add(m, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, b.sub(z, m)), List.of(1), true)));
            return b.sub(lse, b.sum(b.mul(z, b.node(new Op.OneHot(4), y)), List.of(1), true));
        }, M34));
        cs.add(c("mean over a symbolic batch", -1, 1, (b, p) -> b.mean(b.mul(p.get(0), batchOnes(b)), List.of(0), false), V4));
        spatialCases(cs);
        // ---- sequences
        cs.add(c("matmul over the last axis of [batch, 2, 3] (rows flattened to 2*batch)", -1, 1,
                (b, p) -> b.matmulLastAxis(b.mul(p.get(0), b.node(new Op.Input("ones", Role.INPUT,
                        TensorType.f32(Shape.of(Dim.BATCH, Dim.of(2), Dim.of(3)))))), p.get(1), false),
                Shape.of(2, 3), Shape.of(3, 4)));
        cs.add(c("mean over the flattened 2*batch rows", -1, 1,
                (b, p) -> b.mean(b.reshape(b.mul(p.get(0), b.node(new Op.Input("ones", Role.INPUT,
                        TensorType.f32(Shape.of(Dim.BATCH, Dim.of(2), Dim.of(3)))))), Shape.of(Dim.times(Dim.of(2), Dim.BATCH), Dim.of(3))),
                        List.of(0), false),
                Shape.of(2, 3)));
        // ---- end sequences
        // ---- element indices (iota): a constant factor of the index, no gradient of its own
        cs.add(c("times iota along axis 1 (gradient c * iota)", -1, 1, (b, p) -> b.mul(p.get(0), b.node(new Op.Iota(M34, 1))), M34));
        cs.add(c("times a [3,1] iota broadcast over [3,4]", -1, 1, (b, p) -> b.mul(p.get(0), b.node(new Op.Iota(C31, 0))), M34));
        cs.add(c("times the row index of a symbolic batch", -1, 1,
                (b, p) -> b.mul(p.get(0), b.node(new Op.Iota(Shape.of(Dim.BATCH, Dim.of(4)), 0))), V4));
        cs.add(c("last step of [2,3,4] as sum(x * (iota_1 == 2), axis 1)", -1, 1,
                (b, p) -> b.sum(b.mul(p.get(0), b.binary(BinaryFn.EQ, b.node(new Op.Iota(Shape.of(2, 3, 4), 1)), b.constant(2))), List.of(1), false),
                Shape.of(2, 3, 4)));
        scanCases(cs);
        attentionCases(cs);
        gatherCases(cs);
        plumbingCases(cs);
        return cs.stream().map(Arguments::of);
    }

    // ---- slices and zero padding (each the other's adjoint) ----

    static void plumbingCases(List<Case> cs) {
        Shape x234 = Shape.of(2, 3, 4);
        cs.add(c("slice [:, 1:3, :]", -1, 1, (b, p) -> b.slice(p.get(0), slice(List.of(0L, 1L, 0L), List.of(-1L, 3L, -1L), List.of(1L, 1L, 1L))), x234));
        cs.add(c("slice [:, 2:3, 1:4] times x's own slice", -1, 1, (b, p) -> {
            Node s = b.slice(p.get(0), slice(List.of(0L, 2L, 1L), List.of(-1L, 3L, 4L), List.of(1L, 1L, 1L)));
            return b.mul(s, s);
        }, x234));
        cs.add(c("index [:, -1] (the axis dropped) then exp", -1, 1, (b, p) -> b.unary(UnaryFn.EXP, b.slice(p.get(0), Op.Slice.index(3, 1, 2))), x234));
        cs.add(c("index and step together [1, ::2] of [3,5]", -1, 1, (b, p) -> b.slice(p.get(0), slice(List.of(1L, 0L), List.of(2L, 5L), List.of(0L, 2L))),
                Shape.of(3, 5)));
        cs.add(c("slice with steps [1::2, ::3] of [4,7]", -1, 1, (b, p) -> b.slice(p.get(0), slice(List.of(1L, 0L), List.of(4L, 7L), List.of(2L, 3L))),
                Shape.of(4, 7)));
        cs.add(c("slice with step 2 filling the axis [::2] of [3,6]", -1, 1, (b, p) -> b.slice(p.get(0), slice(List.of(0L, 0L), List.of(-1L, 6L), List.of(1L, 2L))),
                Shape.of(3, 6)));
        cs.add(c("pad [1:2, 0:1] then tanh", -1, 1, (b, p) -> b.unary(UnaryFn.TANH, b.pad(p.get(0), new Op.Pad(List.of(1L, 0L), List.of(2L, 1L)))), M34));
        cs.add(c("concat as a sum of pads, then times itself", -1, 1, (b, p) -> {
            Node cat = b.add(b.pad(p.get(0), new Op.Pad(List.of(0L, 0L), List.of(0L, 1L))), b.pad(p.get(1), new Op.Pad(List.of(0L, 4L), List.of(0L, 0L))));
            return b.mul(cat, cat);
        }, M34, C31));
        cs.add(c("slice of a symbolic batch's last step", -1, 1, (b, p) -> {
            Node ones = b.node(new Op.Input("ones", Role.INPUT, TensorType.f32(Shape.of(Dim.BATCH, Dim.of(3), Dim.of(4)))));
            return b.slice(b.mul(p.get(0), ones), slice(List.of(0L, 2L, 0L), List.of(-1L, 3L, -1L), List.of(1L, 1L, 1L)));
        }, Shape.of(3, 4)));
    }

    static Op.Slice slice(List<Long> start, List<Long> stop, List<Long> step) { return new Op.Slice(start, stop, step); }

    // ---- loops (scan): backpropagation through time ----

    static void scanCases(List<Case> cs) {
        // p0 Wxh [3,4], p1 Whh [4,4], p2 the sequence [T=3, 2, 3], p3 the initial carry [2,4]
        Shape[] rnn = {Shape.of(3, 4), Shape.of(4, 4), Shape.of(3, 2, 3), Shape.of(2, 4)};
        cs.add(c("scan: tanh RNN, stacked carries plus the final carry", -1, 1, (b, p) -> {
            List<Node> outs = tanhRnn(b, p, false);
            return b.add(outs.get(1), outs.get(0));
        }, rnn));
        cs.add(c("scan in reverse: only the stacked carries", -1, 1, (b, p) -> tanhRnn(b, p, true).get(1), rnn));
        cs.add(c("scan with two carries (c accumulates sigmoid gates, h = tanh(c)) and a step result of its own", -1, 1, (b, p) -> {
            int loop = ScanBody.newLoopId();
            Node h = b.loopVar(loop, false, 0, TensorType.f32(Shape.of(2, 4)));
            Node cell = b.loopVar(loop, false, 1, TensorType.f32(Shape.of(2, 4)));
            Node x = b.loopVar(loop, true, 0, TensorType.f32(Shape.of(2, 3)));
            Node gate = b.unary(UnaryFn.SIGMOID, b.add(b.matmul(x, p.get(0), false, false), b.matmul(h, p.get(1), false, false)));
            Node nextCell = b.add(b.mul(cell, gate), b.mul(b.sub(b.constant(1), gate), b.unary(UnaryFn.TANH, b.matmul(x, p.get(0), false, false))));
            Node nextH = b.unary(UnaryFn.TANH, nextCell);
            ScanBody body = ScanBody.of(loop, 3, false, List.of(h, cell), List.of(x), List.of(nextH, nextCell),
                    List.of(b.mul(nextH, gate)));
            List<Node> outs = b.scan(body, List.of(p.get(3), b.mul(p.get(3), b.constant(0.5))), List.of(p.get(2)));
            return b.add(b.add(outs.get(body.stepOutput(0)), outs.get(0)), outs.get(1));
        }, rnn));
    }

    /** {@code h = tanh(x_t @ p0 + h @ p1)} over the steps of p2 from p3: the final carry, then the stacked carries. */
    static List<Node> tanhRnn(GraphBuilder b, List<Node> p, boolean reverse) {
        int loop = ScanBody.newLoopId();
        Node h = b.loopVar(loop, false, 0, TensorType.f32(Shape.of(2, 4)));
        Node x = b.loopVar(loop, true, 0, TensorType.f32(Shape.of(2, 3)));
        Node next = b.unary(UnaryFn.TANH, b.add(b.matmul(x, p.get(0), false, false), b.matmul(h, p.get(1), false, false)));
        ScanBody body = ScanBody.of(loop, 3, reverse, List.of(h), List.of(x), List.of(next), List.of(next));
        List<Node> outs = b.scan(body, List.of(p.get(3)), List.of(p.get(2)));
        return List.of(outs.get(0), outs.get(body.stepOutput(0)));
    }

    // ---- attention: batched matmul, heads, causal softmax ----

    static void attentionCases(List<Case> cs) {
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                cs.add(c("batched matmul [2,3,4]@[2,4,5] ta=" + ta + " tb=" + tb, -1, 1, (b, p) -> b.matmul(p.get(0), p.get(1), ta, tb),
                        ta ? Shape.of(2, 4, 3) : Shape.of(2, 3, 4), tb ? Shape.of(2, 5, 4) : Shape.of(2, 4, 5)));
                cs.add(c("batched matmul [2,2,3,4]@[2,2,4,3] ta=" + ta + " tb=" + tb, -1, 1, (b, p) -> b.matmul(p.get(0), p.get(1), ta, tb),
                        ta ? Shape.of(2, 2, 4, 3) : Shape.of(2, 2, 3, 4), tb ? Shape.of(2, 2, 3, 4) : Shape.of(2, 2, 4, 3)));
            }
        cs.add(c("split_heads [2,3,8] into 2 heads", -1, 1, (b, p) -> AttentionBuiltins.splitHeads(b, p.get(0), 2), Shape.of(2, 3, 8)));
        cs.add(c("merge_heads [2,2,3,4]", -1, 1, (b, p) -> AttentionBuiltins.mergeHeads(b, p.get(0)), Shape.of(2, 2, 3, 4)));
        cs.add(c("causal softmax [2,2,4,4]", -2, 2, (b, p) -> AttentionBuiltins.causalSoftmax(b, p.get(0)), Shape.of(2, 2, 4, 4)));
        cs.add(c("softmax over axis 0", -2, 2, (b, p) -> AttentionBuiltins.softmax(b, p.get(0), List.of(0)), M34));
        cs.add(c("log_softmax over axis 1 of [2,3,4]", -2, 2, (b, p) -> AttentionBuiltins.logSoftmax(b, p.get(0), List.of(1)), Shape.of(2, 3, 4)));
        cs.add(c("softmax with a padding mask (from a comparison: no gradient to it)", -2, 2,
                (b, p) -> AttentionBuiltins.maskedSoftmax(b, p.get(0), b.binary(BinaryFn.GT, p.get(1), b.constant(-0.5)), List.of(1)), M34, V4));
        cs.add(c("attention scores: split_heads(q) @ transpose(split_heads(k)), causal softmax, @ split_heads(v), merged", -1, 1, (b, p) -> {
            Node q = AttentionBuiltins.splitHeads(b, p.get(0), 2), k = AttentionBuiltins.splitHeads(b, p.get(1), 2);
            Node a = AttentionBuiltins.causalSoftmax(b, b.div(b.matmul(q, k, false, true), b.constant(Math.sqrt(2))));
            return AttentionBuiltins.mergeHeads(b, b.matmul(a, AttentionBuiltins.splitHeads(b, p.get(2), 2), false, false));
        }, Shape.of(2, 3, 4), Shape.of(2, 3, 4), Shape.of(2, 3, 4)));
    }

    // ---- row gather and scatter-add ----

    /** Row indices with repeats (1 and 3 twice each, 0 once) and a row never picked (2); the first 2·batch feed [batch, 2]. */
    static final int[] ROWS = {1, 3, 1, 0, 1, 3};

    /** An i32 input {@code rows} of the given shape, filled from {@link #ROWS}. */
    static Node rows(GraphBuilder b, Shape shape) {
        return b.node(new Op.Input("rows", Role.INPUT, new TensorType(DType.I32, shape)));
    }

    static void gatherCases(List<Case> cs) {
        cs.add(c("gather rows of [4,3] by [2,3] indices with repeats", -1, 1, (b, p) -> b.gather(p.get(0), rows(b, Shape.of(2, 3))),
                Shape.of(4, 3)));
        cs.add(c("gather by [batch,2] indices, then tanh and a row sum", -1, 1,
                (b, p) -> b.sum(b.unary(UnaryFn.TANH, b.gather(p.get(0), rows(b, Shape.of(Dim.BATCH, Dim.of(2))))), List.of(1), false),
                Shape.of(4, 5)));
        cs.add(c("gather from a computed table (p0 * p1)", -1, 1,
                (b, p) -> b.gather(b.mul(p.get(0), p.get(1)), rows(b, Shape.of(6))), Shape.of(4, 3), Shape.of(3)));
        cs.add(c("scatter_add of [2,3,3] values into 4 rows (repeats, one row untouched)", -1, 1,
                (b, p) -> b.scatterAdd(p.get(0), rows(b, Shape.of(2, 3)), 4), Shape.of(2, 3, 3)));
        cs.add(c("scatter_add of squared values broadcast over [batch,2,3] by [batch,2] indices", -1, 1,
                (b, p) -> b.scatterAdd(b.mul(b.mul(p.get(0), p.get(0)), b.node(new Op.Input("ones", Role.INPUT,
                        TensorType.f32(Shape.of(Dim.BATCH, Dim.of(2), Dim.of(3)))))), rows(b, Shape.of(Dim.BATCH, Dim.of(2))), 4),
                Shape.of(2, 3)));
    }

    // ---- convolution and pooling ----

    static Node spatial(GraphBuilder b, SpatialFn fn, int k, int s, int p, int h, int w, Node... in) {
        return b.node(new Op.Spatial(fn, k, s, p, h, w), in);
    }

    static void spatialCases(List<Case> cs) {
        cs.add(c("conv2d k=3 s=1 p=0", -1, 1, (b, p) -> spatial(b, SpatialFn.CONV2D, 3, 1, 0, 5, 5, p.get(0), p.get(1)),
                Shape.of(2, 2, 5, 5), Shape.of(3, 2, 3, 3)));
        cs.add(c("conv2d k=3 s=2 p=1", -1, 1, (b, p) -> spatial(b, SpatialFn.CONV2D, 3, 2, 1, 6, 6, p.get(0), p.get(1)),
                Shape.of(2, 2, 6, 6), Shape.of(3, 2, 3, 3)));
        cs.add(c("conv2d k=2 s=2 p=0 on 4x6 images", -1, 1, (b, p) -> spatial(b, SpatialFn.CONV2D, 2, 2, 0, 4, 6, p.get(0), p.get(1)),
                Shape.of(1, 3, 4, 6), Shape.of(2, 3, 2, 2)));
        cs.add(c("conv2d k=5 s=1 p=2 (same)", -1, 1, (b, p) -> spatial(b, SpatialFn.CONV2D, 5, 1, 2, 5, 5, p.get(0), p.get(1)),
                Shape.of(1, 1, 5, 5), Shape.of(2, 1, 5, 5)));
        cs.add(c("conv2d_grad_input k=3 s=2 p=1", -1, 1, (b, p) -> spatial(b, SpatialFn.CONV2D_GRAD_INPUT, 3, 2, 1, 6, 6, p.get(0), p.get(1)),
                Shape.of(2, 3, 3, 3), Shape.of(3, 2, 3, 3)));
        cs.add(c("conv2d_grad_weight k=3 s=2 p=1", -1, 1, (b, p) -> spatial(b, SpatialFn.CONV2D_GRAD_WEIGHT, 3, 2, 1, 6, 6, p.get(0), p.get(1)),
                Shape.of(2, 2, 6, 6), Shape.of(2, 3, 3, 3)));
        cs.add(c("max_pool2d k=2 s=2", -1, 1, (b, p) -> spatial(b, SpatialFn.MAX_POOL2D, 2, 2, 0, 4, 4, p.get(0)), Shape.of(1, 2, 4, 4)));
        cs.add(c("max_pool2d k=3 s=2 p=1", -1, 1, (b, p) -> spatial(b, SpatialFn.MAX_POOL2D, 3, 2, 1, 5, 5, p.get(0)), Shape.of(1, 1, 5, 5)));
        cs.add(c("avg_pool2d k=2 s=2", -1, 1, (b, p) -> spatial(b, SpatialFn.AVG_POOL2D, 2, 2, 0, 4, 4, p.get(0)), Shape.of(2, 3, 4, 4)));
        cs.add(c("avg_pool2d k=3 s=1 p=1", -1, 1, (b, p) -> spatial(b, SpatialFn.AVG_POOL2D, 3, 1, 1, 4, 5, p.get(0)), Shape.of(1, 2, 4, 5)));
        cs.add(c("avg_pool2d_grad k=2 s=2", -1, 1, (b, p) -> spatial(b, SpatialFn.AVG_POOL2D_GRAD, 2, 2, 0, 4, 4, p.get(0)), Shape.of(2, 2, 2, 2)));
        cs.add(c("conv2d k=3x2 s=2x1 p=1x0 on 5x4 images", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.CONV2D, 3, 2, 2, 1, 1, 0, 5, 4), p.get(0), p.get(1)),
                Shape.of(2, 2, 5, 4), Shape.of(3, 2, 3, 2)));
        cs.add(c("conv2d k=1x3 s=1x2 p=0x1 (conv1d's window)", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.CONV2D, 1, 3, 1, 2, 0, 1, 1, 7), p.get(0), p.get(1)),
                Shape.of(2, 3, 1, 7), Shape.of(2, 3, 1, 3)));
        cs.add(c("conv2d_grad_input k=3x2 s=1x2 p=1x1", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.CONV2D_GRAD_INPUT, 3, 2, 1, 2, 1, 1, 4, 5), p.get(0), p.get(1)),
                Shape.of(1, 3, 4, 3), Shape.of(3, 2, 3, 2)));
        cs.add(c("conv2d_grad_weight k=2x3 s=2x1 p=0x1", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.CONV2D_GRAD_WEIGHT, 2, 3, 2, 1, 0, 1, 5, 4), p.get(0), p.get(1)),
                Shape.of(2, 2, 5, 4), Shape.of(2, 3, 2, 4)));
        cs.add(c("conv2d k=3 d=2x1 p=2x1 g=2 (two outputs per input channel)", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.CONV2D, 3, 3, 1, 1, 2, 1, 2, 1, 2, 5, 4), p.get(0), p.get(1)),
                Shape.of(2, 2, 5, 4), Shape.of(4, 1, 3, 3)));
        cs.add(c("conv2d_grad_input k=2x3 s=2x1 d=1x2 g=3", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.CONV2D_GRAD_INPUT, 2, 3, 2, 1, 0, 1, 1, 2, 3, 5, 6), p.get(0), p.get(1)),
                Shape.of(1, 3, 2, 4), Shape.of(3, 2, 2, 3)));
        cs.add(c("conv2d_grad_weight k=3 d=2 p=1 g=2", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.CONV2D_GRAD_WEIGHT, 3, 3, 1, 1, 1, 1, 2, 2, 2, 5, 5), p.get(0), p.get(1)),
                Shape.of(2, 4, 5, 5), Shape.of(2, 2, 3, 3)));
        cs.add(c("max_pool2d k=3x2 s=2x1 p=1x1", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.MAX_POOL2D, 3, 2, 2, 1, 1, 1, 5, 4), p.get(0)), Shape.of(1, 2, 5, 4)));
        cs.add(c("avg_pool2d k=2x3 s=1x2 p=1x1", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.AVG_POOL2D, 2, 3, 1, 2, 1, 1, 4, 5), p.get(0)), Shape.of(1, 2, 4, 5)));
        cs.add(c("global avg_pool2d (window 3x5 = the image)", -1, 1,
                (b, p) -> b.node(new Op.Spatial(SpatialFn.AVG_POOL2D, 3, 5, 3, 5, 0, 0, 3, 5), p.get(0)), Shape.of(2, 2, 3, 5)));
        cs.add(c("conv2d, relu, max_pool2d, conv2d (LeNet-like chain)", -1, 1, (b, p) -> {
            Node y = b.unary(UnaryFn.RELU, spatial(b, SpatialFn.CONV2D, 3, 1, 1, 6, 6, p.get(0), p.get(1)));
            return spatial(b, SpatialFn.CONV2D, 2, 1, 0, 3, 3, spatial(b, SpatialFn.MAX_POOL2D, 2, 2, 0, 6, 6, y), p.get(2));
        }, Shape.of(1, 1, 6, 6), Shape.of(2, 1, 3, 3), Shape.of(2, 2, 2, 2)));
    }

    /** Max pooling cases get distinct inputs 0.1 apart (more than twice the f32 step), so no window has a near tie. */
    static boolean spreadApart(String name, int param) {
        return name.startsWith("max_pool2d") && param == 0;
    }

    static double spread(int k, int n) { return 0.1 * ((k * 37L) % n) - 0.05 * n; }

    /** A [batch,4] input of ones, so the case exercises DimSize. */
    static Node batchOnes(GraphBuilder b) {
        return b.node(new Op.Input("ones", Role.INPUT, TensorType.f32(Shape.of(Dim.BATCH, Dim.of(4)))));
    }

    /** d/dx Σ c·x·iota = c·iota exactly (the index along axis 1 of [3,4]), in f32 and in f64. */
    @Test
    void gradientOfXTimesIotaIsIota() {
        Case tc = c("x * iota", -1, 1, (b, p) -> b.mul(p.get(0), b.node(new Op.Iota(M34, 1))), M34);
        IrModule module = module(tc);
        Interpreter m = new Interpreter(module, 2);
        fill(m.floats("p0"), new SplittableRandom(1), -1, 1);
        fill(m.floats("c"), new SplittableRandom(2), 0.5, 1.5);
        m.trainStep(2);
        float[] c = m.floats("c"), grad = m.floats("grad0");
        for (int k = 0; k < 12; k++) assertEquals(c[k] * (k % 4), grad[k], "f32 gradient at " + k);
        double[] cd = new double[12], x = new double[12];
        for (int k = 0; k < 12; k++) { cd[k] = c[k]; x[k] = m.floats("p0")[k]; }
        double[] g64 = new F64Evaluator(2).run(module.train(), new LinkedHashMap<>(Map.of("p0", x, "c", cd)), Map.of()).get("grad0");
        for (int k = 0; k < 12; k++) assertEquals(cd[k] * (k % 4), g64[k], "f64 gradient at " + k);
    }

    /** The case as a module whose train graph outputs {@code loss} and {@code grad0, grad1, …}. */
    static IrModule module(Case tc) {
        GraphBuilder b = new GraphBuilder();
        List<Node> params = new ArrayList<>();
        for (int i = 0; i < tc.shapes().size(); i++)
            params.add(b.node(new Op.Param("p" + i, TensorType.f32(tc.shapes().get(i)), Init.ZEROS)));
        Node f = tc.f().apply(b, params);
        Node weights = b.node(new Op.Param("c", TensorType.f32(f.shape()), Init.ZEROS));
        Node loss = b.sumAll(b.mul(weights, f));
        Map<Node, Node> grads = Autodiff.gradients(b, loss, params);
        Map<String, Node> outputs = new LinkedHashMap<>();
        outputs.put(IrModule.LOSS, loss);
        for (int i = 0; i < params.size(); i++) outputs.put("grad" + i, grads.get(params.get(i)));
        Graph g = new Graph("train", outputs, Map.of());
        IrModule module = new IrModule("case", g, new Graph("evaluate", Map.of(IrModule.LOSS, loss), Map.of()), g, IrModule.LOSS, List.of());
        assertEquals(List.of(), GraphVerifier.verify(module));
        return module;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(Case tc) {
        IrModule module = module(tc);
        int params = tc.shapes().size();
        int batch = 2;
        Interpreter m = new Interpreter(module, batch);
        SplittableRandom rnd = new SplittableRandom(tc.name().hashCode());
        for (int i = 0; i < params; i++) fill(m.floats("p" + i), rnd, tc.lo(), tc.hi());
        fill(m.floats("c"), rnd, 0.5, 1.5);
        if (tc.name().endsWith("same shape")) { // keep max/min operands apart: no ties within the step h
            float[] p0 = m.floats("p0"), p1 = m.floats("p1");
            for (int k = 0; k < p1.length; k++) p1[k] = p0[k] + (k % 2 == 0 ? 0.3f : -0.3f);
        }
        if (spreadApart(tc.name(), 0)) {
            float[] p0 = m.floats("p0");
            for (int k = 0; k < p0.length; k++) p0[k] = (float) spread(k, p0.length);
        }
        if (module.info().find("ones").isPresent()) Arrays.fill(m.floats("ones"), 1f);
        if (module.info().find("labels").isPresent()) m.ints("labels")[0] = 2;
        if (module.info().find("rows").isPresent()) System.arraycopy(ROWS, 0, m.ints("rows"), 0, m.ints("rows").length);

        m.trainStep(batch);
        for (int i = 0; i < params; i++) {
            float[] p = m.floats("p" + i);
            float[] analytic = m.floats("grad" + i).clone();
            for (int k = 0; k < p.length; k++) {
                float saved = p[k];
                float h = 1e-2f * Math.max(1f, Math.abs(saved));
                p[k] = saved + h;
                m.evaluate(batch);
                double up = m.loss();
                p[k] = saved - h;
                m.evaluate(batch);
                double down = m.loss();
                p[k] = saved;
                double numeric = (up - down) / (2 * h);
                double tol = 2e-2 * Math.max(1, Math.abs(numeric));
                assertTrue(Math.abs(numeric - analytic[k]) <= tol,
                        tc.name() + ": d/dp" + i + "[" + k + "] analytic " + analytic[k] + " numeric " + numeric);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void f64GradientMatchesFiniteDifferencesAndTheVjpIdentity(Case tc) {
        IrModule module = module(tc);
        Graph g = module.train();
        int batch = 3;
        F64Evaluator eval = new F64Evaluator(batch);
        SplittableRandom rnd = new SplittableRandom(tc.name().hashCode() * 31L + 7);
        Map<String, double[]> leaves = new LinkedHashMap<>();
        eval.leafSizes(g).forEach((name, size) -> {
            float[] f = new float[size];
            if (name.equals("c")) fill(f, rnd, 0.5, 1.5);
            else if (name.equals("ones")) Arrays.fill(f, 1f);
            else fill(f, rnd, tc.lo(), tc.hi());
            double[] d = new double[size];
            for (int k = 0; k < size; k++) d[k] = f[k];
            leaves.put(name, d);
        });
        if (tc.name().endsWith("same shape")) {
            double[] p0 = leaves.get("p0"), p1 = leaves.get("p1");
            for (int k = 0; k < p1.length; k++) p1[k] = p0[k] + (k % 2 == 0 ? 0.3 : -0.3);
        }
        if (spreadApart(tc.name(), 0)) {
            double[] p0 = leaves.get("p0");
            for (int k = 0; k < p0.length; k++) p0[k] = spread(k, p0.length);
        }
        Map<String, int[]> ints = Map.of("labels", new int[] {2, 0, 3}, "rows", ROWS);
        Map<String, double[]> out = eval.run(g, leaves, ints);
        int params = tc.shapes().size();

        double h = 1e-6;
        for (int i = 0; i < params; i++) {
            double[] p = leaves.get("p" + i), analytic = out.get("grad" + i);
            for (int k = 0; k < p.length; k++) {
                double saved = p[k];
                p[k] = saved + h;
                double up = eval.run(g, leaves, ints).get(IrModule.LOSS)[0];
                p[k] = saved - h;
                double down = eval.run(g, leaves, ints).get(IrModule.LOSS)[0];
                p[k] = saved;
                double numeric = (up - down) / (2 * h);
                assertTrue(relativeError(numeric, analytic[k]) < 1e-6,
                        tc.name() + ": d/dp" + i + "[" + k + "] analytic " + analytic[k] + " numeric " + numeric);
            }
        }

        // <J·t, c> = <t, Jᵀ·c>: the loss is <c, f(p)>, so <J·t, c> is the loss's derivative along t
        // (central differences of f along t) and Jᵀ·c is the gradient the VJP rules produced.
        Map<String, double[]> t = new LinkedHashMap<>();
        double vjpSide = 0;
        for (int i = 0; i < params; i++) {
            double[] dir = new double[leaves.get("p" + i).length];
            for (int k = 0; k < dir.length; k++) dir[k] = rnd.nextDouble(-1, 1);
            t.put("p" + i, dir);
            double[] grad = out.get("grad" + i);
            for (int k = 0; k < dir.length; k++) vjpSide += dir[k] * grad[k];
        }
        double jvpSide = (lossAlong(eval, g, leaves, ints, t, h) - lossAlong(eval, g, leaves, ints, t, -h)) / (2 * h);
        assertTrue(relativeError(jvpSide, vjpSide) < 1e-6, tc.name() + ": <J t, c> = " + jvpSide + " but <t, J^T c> = " + vjpSide);
    }

    private static double lossAlong(F64Evaluator eval, Graph g, Map<String, double[]> leaves, Map<String, int[]> ints,
                                    Map<String, double[]> t, double step) {
        Map<String, double[]> moved = new LinkedHashMap<>(leaves);
        t.forEach((name, dir) -> {
            double[] p = leaves.get(name).clone();
            for (int k = 0; k < p.length; k++) p[k] += step * dir[k];
            moved.put(name, p);
        });
        return eval.run(g, moved, ints).get(IrModule.LOSS)[0];
    }

    /** |a − b| relative to the larger magnitude, with an absolute floor of 1e-3 for near-zero values. */
    static double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-3, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** Values in [lo, hi] kept apart from each other so max/min/relu/abs are differentiable at them. */
    static void fill(float[] a, SplittableRandom rnd, double lo, double hi) {
        for (int i = 0; i < a.length; i++) {
            float v;
            do { v = (float) (lo + (hi - lo) * rnd.nextDouble()); } while (Math.abs(v) < 0.1);
            a[i] = v + 0.001f * i;
        }
    }
}

package nnc.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.types.ShapeRules;

/**
 * The derivative of every Graph IR primitive, as IR-building code: given node {@code y = op(x…)}
 * and the adjoint {@code g = ∂L/∂y}, returns {@code ∂L/∂x_i} for each input (null where there is
 * none, e.g. integer inputs and comparisons). One exhaustive switch, no default: a new primitive
 * without a rule does not compile. Results are un-broadcast to each input's shape. Rules that mask
 * (relu, abs, max/min, a reduced max) select with {@code where} rather than multiply by a 0/1 mask,
 * so an infinite adjoint where the mask is off gives 0, as in PyTorch, not ∞·0 = NaN.
 */
public final class VjpRules {
    private VjpRules() {}

    public static List<Node> vjp(GraphBuilder b, Node y, Node g) {
        List<Node> in = y.inputs();
        Op op = y.op();
        if (op instanceof Op.Input) return List.of();
        if (op instanceof Op.Param) return List.of();
        if (op instanceof Op.State) return List.of();
        if (op instanceof Op.Constant) return List.of();
        if (op instanceof Op.DimSize) return List.of();
        if (op instanceof Op.Iota) return List.of(); // an index: no inputs, nothing to differentiate
        if (op instanceof Op.Unary u && u.fn() == UnaryFn.SIGN) return Arrays.asList((Node) null); // piecewise constant: no gradient (PyTorch's zeros)
        if (op instanceof Op.Unary u) return List.of(unary(b, u.fn(), in.get(0), y, g));
        if (op instanceof Op.Binary bin) return binary(b, bin.fn(), in.get(0), in.get(1), y, g);
        if (op instanceof Op.Where) {
            Node zero = b.constant(0);
            return Arrays.asList(null, b.unbroadcast(b.where(in.get(0), g, zero), in.get(1).shape()),
                    b.unbroadcast(b.where(in.get(0), zero, g), in.get(2).shape()));
        }
        if (op instanceof Op.Reduce r && r.shift()) return Arrays.asList((Node) null); // softmax's shift: exactly no gradient
        if (op instanceof Op.Reduce r) return List.of(reduce(b, r, in.get(0), y, g));
        if (op instanceof Op.MatMul m) return matmul(b, m, in.get(0), in.get(1), g);
        if (op instanceof Op.Broadcast) return List.of(b.unbroadcast(g, in.get(0).shape()));
        if (op instanceof Op.Reshape) return List.of(b.reshape(g, in.get(0).shape()));
        if (op instanceof Op.Transpose t) return List.of(b.transpose(g, t.inverse()));
        if (op instanceof Op.Slice sl) return List.of(SliceVjp.ofSlice(b, sl, in.get(0), g));
        if (op instanceof Op.Pad pd) return List.of(SliceVjp.ofPad(b, pd, in.get(0), g));
        if (op instanceof Op.OneHot) return Arrays.asList((Node) null);
        // convolution and pooling
        if (op instanceof Op.Spatial s) return SpatialVjp.vjp(b, s, y, g);
        if (op instanceof Op.LoopVar) return List.of(); // a leaf of a loop body: its adjoint is the loop's business
        // all outputs of a loop at once, as a reverse loop (backpropagation through time)
        if (op instanceof Op.Scan) throw new IllegalStateException("the outputs of a loop are differentiated together by ScanVjp, not one by one: " + y);
        // a gather's table gets the cotangent's rows summed back (scatter-add), and a
        // scatter-add's values read the cotangent's rows back (gather); the indices get nothing
        if (op instanceof Op.Gather) return Arrays.asList(b.scatterAdd(g, in.get(1), in.get(0).shape().dim(0).size()), null);
        if (op instanceof Op.ScatterAdd) return Arrays.asList(b.gather(g, in.get(1)), null);
        throw new IllegalStateException("unexpected " + op.getClass().getSimpleName());
    }

    private static Node unary(GraphBuilder b, UnaryFn fn, Node x, Node y, Node g) {
        Node one = b.constant(1);
        return switch (fn) {
            case NEG -> b.neg(g);
            case EXP -> b.mul(g, y);
            case LOG -> b.div(g, x);
            case TANH -> b.mul(g, b.sub(one, b.mul(y, y)));
            case SIGMOID -> b.mul(g, b.mul(y, b.sub(one, y)));
            case SOFTPLUS -> b.mul(g, b.unary(UnaryFn.SIGMOID, x));
            // d silu(x) = σ(x)·(1 + x·(1 − σ(x)))
            case SILU -> {
                Node s = b.unary(UnaryFn.SIGMOID, x);
                yield b.mul(g, b.mul(s, b.add(one, b.mul(x, b.sub(one, s)))));
            }
            case RELU -> b.where(b.binary(BinaryFn.GT, x, b.constant(0)), g, b.constant(0));
            case SQRT -> b.div(g, b.mul(b.constant(2), y));
            // g where x > 0, −g where x < 0, 0 at ±0 (a zero g gives +0 where PyTorch's g·sign(x) gives −0)
            case ABS -> b.sub(b.where(b.binary(BinaryFn.GT, x, b.constant(0)), g, b.constant(0)),
                    b.where(b.binary(BinaryFn.GT, b.constant(0), x), g, b.constant(0)));
            // d erf(x) = 2/√π · e^(−x²)
            case FLUSH -> g; // the identity but on subnormals (optimiser state only, never differentiated in practice)
            case SIN -> b.mul(g, b.unary(UnaryFn.COS, x));
            case COS -> b.neg(b.mul(g, b.unary(UnaryFn.SIN, x)));
            // g/(1 + x) (PyTorch's rule) and g·eˣ: PyTorch's g·(y + 1) loses the digits that y + 1 cancels for x below 0
            case LOG1P -> b.div(g, b.add(x, one));
            case EXPM1 -> b.mul(g, b.unary(UnaryFn.EXP, x));
            case SIGN -> throw new IllegalStateException("sign has no gradient");
            case ERF -> b.mul(g, b.mul(b.constant(2 / Math.sqrt(Math.PI)), b.unary(UnaryFn.EXP, b.neg(b.mul(x, x)))));
        };
    }

    private static List<Node> binary(GraphBuilder b, BinaryFn fn, Node x1, Node x2, Node y, Node g) {
        Node[] d = switch (fn) {
            case ADD -> new Node[] {g, g};
            case SUB -> new Node[] {g, b.neg(g)};
            case MUL -> new Node[] {b.mul(g, x2), b.mul(g, x1)};
            case DIV -> new Node[] {b.div(g, x2), b.neg(b.div(b.mul(g, y), x2))};
            case POW -> pow(b, x1, x2, y, g);
            case MAX, MIN -> extremum(b, fn == BinaryFn.MAX, x1, x2, g);
            case GT, GE, EQ, HASH -> new Node[] {null, null};
        };
        Node d1 = d[0], d2 = d[1];
        List<Node> out = new ArrayList<>(2);
        out.add(d1 == null ? null : b.unbroadcast(d1, x1.shape()));
        out.add(d2 == null ? null : b.unbroadcast(d2, x2.shape()));
        return out;
    }

    /**
     * max and min. Of two tensors, as PyTorch's maximum/minimum: a tie splits g evenly, the smaller
     * (larger) argument gets 0. Against a constant, as PyTorch's clamp_min/clamp_max: the tensor gets
     * all of g where it reaches the bound, ties included, and 0 beyond it.
     */
    private static Node[] extremum(GraphBuilder b, boolean max, Node x1, Node x2, Node g) {
        Node zero = b.constant(0);
        if (x2.op() instanceof Op.Constant || x1.op() instanceof Op.Constant) {
            boolean firstVaries = x2.op() instanceof Op.Constant;
            Node x = firstVaries ? x1 : x2, bound = firstVaries ? x2 : x1;
            Node kept = b.where(max ? b.binary(BinaryFn.GE, x, bound) : b.binary(BinaryFn.GE, bound, x), g, zero);
            return firstVaries ? new Node[] {kept, null} : new Node[] {null, kept};
        }
        Node larger1 = b.binary(BinaryFn.GT, x1, x2), larger2 = b.binary(BinaryFn.GT, x2, x1);
        return new Node[] {b.where(max ? larger2 : larger1, zero, tie(b, x1, x2, g)),
                b.where(max ? larger1 : larger2, zero, tie(b, x1, x2, g))};
    }

    /** {@code g/2} where {@code x1 = x2}, else {@code g}. */
    private static Node tie(GraphBuilder b, Node x1, Node x2, Node g) {
        return b.where(b.binary(BinaryFn.EQ, x1, x2), b.mul(g, b.constant(0.5)), g);
    }

    /**
     * y = bᵉ, as PyTorch's pow_backward_self and pow_backward_exponent: ∂b = 0 where e = 0, else
     * g·e·b^(e−1); ∂e = g·(0 where b = 0 and e ≥ 0, else y·log b), so a zero base with a learned
     * exponent gives 0 rather than 0·(−∞) = NaN. A constant exponent has no gradient, and a nonzero
     * one needs no select.
     */
    private static Node[] pow(GraphBuilder b, Node x1, Node x2, Node y, Node g) {
        Node zero = b.constant(0);
        Node dBase = b.mul(g, b.mul(x2, b.binary(BinaryFn.POW, x1, b.sub(x2, b.constant(1)))));
        boolean constant = x2.op() instanceof Op.Constant;
        if (constant && ((Op.Constant) x2.op()).value() != 0) return new Node[] {dBase, null};
        Node dBaseSelected = b.where(b.binary(BinaryFn.EQ, x2, zero), zero, dBase);
        if (constant) return new Node[] {dBaseSelected, null};
        Node yLogB = b.mul(y, b.unary(UnaryFn.LOG, x1));
        Node zeroBase = b.where(b.binary(BinaryFn.GE, x2, zero), zero, yLogB);
        return new Node[] {dBaseSelected,
                b.mul(g, b.where(b.binary(BinaryFn.EQ, x1, zero), zeroBase, yLogB))};
    }

    /**
     * Sum: broadcast g back. Max: g flows to the elements equal to the maximum, split evenly between
     * ties ({@code torch.amax}): where(x = y, g / #ties, 0), selected.
     */
    private static Node reduce(GraphBuilder b, Op.Reduce r, Node x, Node y, Node g) {
        var kept = ShapeRules.reduce(x.shape(), r.axes(), true);
        return switch (r.fn()) {
            case SUM -> b.broadcast(b.reshape(g, kept), x.shape());
            case MAX -> {
                Node ties = b.binary(BinaryFn.EQ, x, b.reshape(y, kept));
                Node share = b.div(b.reshape(g, kept), b.sum(ties, r.axes(), true));
                yield b.where(ties, b.broadcast(share, x.shape()), b.constant(0));
            }
        };
    }

    /**
     * C = op(A)·op(B): ∂op(A) = G·op(B)ᵀ and ∂op(B) = op(A)ᵀ·G, transposed back where the operand
     * was stored transposed. Each case is one matmul with the right layout flags.
     */
    private static List<Node> matmul(GraphBuilder b, Op.MatMul m, Node a, Node bb, Node g) {
        boolean ta = m.transA(), tb = m.transB();
        Node da = !ta ? b.matmul(g, bb, false, !tb) : b.matmul(bb, g, tb, true);
        Node db = !tb ? b.matmul(a, g, !ta, false) : b.matmul(g, a, true, ta);
        return List.of(da, db);
    }

    static boolean isReduceSum(Op op) { return op instanceof Op.Reduce r && r.fn() == ReduceFn.SUM; }
}

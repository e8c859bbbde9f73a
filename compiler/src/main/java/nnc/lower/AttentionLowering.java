package nnc.lower;

import java.util.List;
import java.util.function.Function;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * Attention as Graph IR primitives (DSL.md §11): heads are a reshape and a transpose, scores and
 * their weighted sums batched matmuls over {@code [batch, heads]} (keys read transposed, no copy),
 * and the causal mask an index comparison (iota) that zeroes the exponentials above the diagonal.
 */
public final class AttentionLowering {
    private final GraphBuilder b;
    private final BuiltinLowering builtins;

    AttentionLowering(GraphBuilder b, BuiltinLowering builtins) {
        this.b = b;
        this.builtins = builtins;
    }

    /** {@code [batch, time, d] → [batch, heads, time, d/heads]}: a reshape to [batch, time, heads, d/heads], then axes 1 and 2 swapped. */
    public static Node splitHeads(GraphBuilder b, Node x, int heads) {
        Shape s = x.shape();
        Node r = b.reshape(x, Shape.of(s.dim(0), s.dim(1), Dim.of(heads), Dim.of(s.dim(2).size() / heads)));
        return b.transpose(r, SWAP_HEADS_AND_TIME);
    }

    /** {@code [batch, heads, time, dk] → [batch, time, heads·dk]}: the inverse of {@link #splitHeads}. */
    public static Node mergeHeads(GraphBuilder b, Node x) {
        Shape s = x.shape();
        return b.reshape(b.transpose(x, SWAP_HEADS_AND_TIME), Shape.of(s.dim(0), s.dim(2), Dim.of(s.dim(1).size() * s.dim(3).size())));
    }

    private static final Op.Transpose SWAP_HEADS_AND_TIME = new Op.Transpose(List.of(0, 2, 1, 3));

    /**
     * softmax over the last axis with positions j > i of the last two axes [.., i, j] excluded:
     * keep = (i ≥ j); the row maximum is taken over the kept scores (the others replaced by −1e30,
     * finite, so no inf − inf), and the exponentials are multiplied by keep, so an excluded
     * probability is exactly 0 and so is its gradient (0 · a finite value). Every row keeps j = 0.
     */
    public static Node causalSoftmax(GraphBuilder b, Node x) {
        int r = x.shape().rank();
        Shape square = Shape.of(x.shape().dim(r - 2), x.shape().dim(r - 1));
        Node keep = b.binary(BinaryFn.GE, b.node(new Op.Iota(square, 0)), b.node(new Op.Iota(square, 1)));
        Node masked = b.where(keep, x, b.constant(-1e30));
        List<Integer> last = Lowering.lastAxis(x);
        Node shifted = b.sub(masked, b.shiftMax(masked, last));
        Node e = b.mul(b.unary(UnaryFn.EXP, shifted), keep);
        return b.div(e, b.sum(e, last, true));
    }

    /**
     * Multi-head self-attention with the projections {@code PREFIX.q/k/v/out} ({@code W: [d, d]},
     * {@code b: [d]}): softmax(Q_h K_hᵀ / √(d/heads)) V_h per head, heads merged, then the output
     * projection; the same ops as the hand-written fn of DSL.md §11.
     */
    Node multiHeadAttention(Node x, int heads, boolean causal, String prefix, Function<String, Node> param) {
        Node q = dense(x, prefix + "q", param), k = dense(x, prefix + "k", param), v = dense(x, prefix + "v", param);
        long dk = x.shape().last().size() / heads;
        Node scores = b.div(b.matmul(splitHeads(b, q, heads), splitHeads(b, k, heads), false, true), b.unary(UnaryFn.SQRT, b.constant(dk)));
        Node a = causal ? causalSoftmax(b, scores) : builtins.softmax(scores);
        return dense(mergeHeads(b, b.matmul(a, splitHeads(b, v, heads), false, false)), prefix + "out", param);
    }

    /** Post-norm block: h = layer_norm(x + attention(x)); layer_norm(h + dense(gelu(dense(h, hidden)), d)). */
    Node transformerBlock(Node x, int heads, boolean causal, Function<String, Node> param) {
        Node h = norm(b.add(x, multiHeadAttention(x, heads, causal, "attention.", param)), "norm1", param);
        Node ff = dense(builtins.gelu(dense(h, "ff1", param)), "ff2", param);
        return norm(b.add(h, ff), "norm2", param);
    }

    private Node dense(Node x, String layer, Function<String, Node> param) {
        return b.matmulLastAxis(x, param.apply(layer + ".W"), false, param.apply(layer + ".b"));
    }

    private Node norm(Node x, String layer, Function<String, Node> param) {
        return builtins.layerNorm(x, param.apply(layer + ".gamma"), param.apply(layer + ".beta"), 1e-5);
    }
}

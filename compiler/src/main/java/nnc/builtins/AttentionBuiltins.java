package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Builtin.layer;
import static nnc.builtins.Signature.tensors;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.UnaryFn;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Softmax and attention: {@code softmax(x, mask = causal)} (positions j > i of the last two axes
 * [.., i, j] excluded), {@code log_softmax(x)}, {@code split_heads(x, heads)} {@code [batch, time, d] →
 * [batch, heads, time, d/heads]} (a reshape and a transpose), {@code merge_heads(x)} its inverse, and
 * the library layers {@code multi_head_attention(x, [kv], heads, causal = false)} (self-attention, or
 * cross-attention over kv; owns {@code NAME.q},
 * {@code NAME.k}, {@code NAME.v} and {@code NAME.out}, each a dense layer's {@code W: [d, d]} (xavier)
 * and {@code b: [d]} (zeros)) and {@code transformer_block(x, heads, hidden, causal = true, norm_first = false)} (post-norm:
 * {@code h = layer_norm(x + attention(x))}, {@code layer_norm(h + dense(gelu(dense(h, hidden)), d))}, or pre-norm;
 * owns {@code NAME.attention.*}, {@code NAME.norm1.*}, {@code NAME.ff1.*}, {@code NAME.ff2.*},
 * {@code NAME.norm2.*}). Scores and their weighted sums are batched matmuls over {@code [batch, heads]}
 * (keys read transposed, no copy).
 */
public final class AttentionBuiltins {
    private AttentionBuiltins() {}

    /** The one mask softmax knows. */
    static final String CAUSAL = "causal";

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("softmax", "log_softmax", "split_heads", "merge_heads", "multi_head_attention", "transformer_block");

    static List<Builtin> all() {
        return List.of(
                function("softmax", new Signature(List.of("x", "mask"), List.of("axis"), List.of(), Map.of("mask", Set.of(CAUSAL))),
                        AttentionBuiltins::softmax, AttentionBuiltins::softmax),
                function("log_softmax", new Signature(List.of("x"), List.of("axis"), List.of()), AttentionBuiltins::logSoftmax,
                        c -> logSoftmax(c.builder(), c.tensor(0), softmaxAxis(c))),
                function("split_heads", new Signature(List.of("x"), List.of("heads"), List.of("heads")), AttentionBuiltins::splitHeads,
                        c -> splitHeads(c.builder(), c.tensor(0), c.intOption("heads"))),
                function("merge_heads", tensors("x"), AttentionBuiltins::mergeHeads, c -> mergeHeads(c.builder(), c.tensor(0))),
                layer("multi_head_attention", new Signature(List.of("x", "kv"), List.of("heads", "causal"), List.of("heads"), Map.of("kv", Set.of())),
                        AttentionBuiltins::multiHeadAttention,
                        c -> multiHeadAttention(c.builder(), c.tensor(0), c.tensor(1) != null ? c.tensor(1) : c.tensor(0), c.intOption("heads"),
                                (Boolean) c.option("causal"), "", c::param)),
                layer("transformer_block", new Signature(List.of("x"), List.of("heads", "hidden", "causal", "norm_first"), List.of("heads", "hidden")),
                        AttentionBuiltins::transformerBlock,
                        c -> transformerBlock(c.builder(), c.tensor(0), c.intOption("heads"), (Boolean) c.option("causal"),
                                (Boolean) c.option("norm_first"), c::param)));
    }

    // ---------------------------------------------------------------- type rules

    private static TensorType splitHeads(TypeContext c) {
        TensorType x = sequence(c, "split_heads");
        int heads = heads(c, x);
        Shape s = x.shape();
        return TensorType.f32(Shape.of(s.dim(0), Dim.of(heads), s.dim(1), Dim.of(s.dim(2).size() / heads)));
    }

    private static TensorType mergeHeads(TypeContext c) {
        TensorType x = c.f32("x");
        Shape s = x.shape();
        if (x.rank() != 4 || !s.dim(1).isFixed() || !s.dim(3).isFixed())
            throw c.errorAt("x", "merge_heads joins the heads of f32[batch, heads, time, d], but " + c.describe("x") + " is " + x,
                    "it undoes split_heads(x, heads)");
        return TensorType.f32(Shape.of(s.dim(0), s.dim(2), Dim.of(s.dim(1).size() * s.dim(3).size())));
    }

    private static TensorType overLastAxis(TypeContext c) {
        TensorType x = c.f32("x");
        if (x.rank() == 0) throw c.errorAt("x", c.name() + " works over the last axis, but " + c.describe("x") + " is a scalar f32[]", null);
        return x;
    }

    /** The axis of softmax or log_softmax: option {@code axis} (negative from the end), the last by default; recorded. */
    private static int softmaxAxis(TypeContext c, TensorType x) {
        int axis = c.has("axis") ? c.axis("axis", x.rank()) : x.rank() - 1;
        c.record("axis", (double) axis);
        return axis;
    }

    private static TensorType logSoftmax(TypeContext c) {
        TensorType x = overLastAxis(c);
        softmaxAxis(c, x);
        return x;
    }

    /**
     * softmax over an axis (the last by default); with a mask tensor broadcastable to x, over the
     * positions where it is not 0; with {@code mask = causal}, over the last axis of a tensor whose
     * last two axes are [.., time_i, time_j].
     */
    private static TensorType softmax(TypeContext c) {
        TensorType x = overLastAxis(c);
        int axis = softmaxAxis(c, x);
        if (c.hasTensor("mask")) {
            TensorType m = c.f32("mask");
            if (!ShapeRules.broadcastsTo(m.shape(), x.shape()))
                throw c.errorAt("mask", "the mask of softmax must broadcast to " + x + ", but " + c.describe("mask") + " is " + m,
                        "a padding mask is 1 where a position takes part and 0 where it is padding, e.g. f32[batch, 1, 1, time] for scores f32[batch, heads, time, time]");
            return x;
        }
        if (!c.has("mask")) return x;
        if (axis != x.rank() - 1)
            throw c.errorAt("axis", "a causal softmax works over the last axis, but 'axis' is " + axis + " of " + x, "leave out 'axis'");
        Shape s = x.shape();
        if (x.rank() < 2 || !s.dim(x.rank() - 2).isFixed() || !s.last().isFixed())
            throw c.errorAt("x", "a causal softmax masks the last two axes [.., time, time], but " + c.describe("x") + " is " + x,
                    "apply it to attention scores, e.g. f32[batch, heads, time, time]");
        return x;
    }

    /**
     * Self-attention over x, or cross-attention of x's positions (queries) over kv's (keys and
     * values): kv a sequence [batch, time_kv, d] with x's batch and d.
     */
    private static TensorType multiHeadAttention(TypeContext c) {
        if (c.arg("kv") != null && c.type("kv").rank() == 0)
            throw c.errorAt("kv", "multi_head_attention took " + (c.arg("kv") instanceof Ast.NumberLit n ? n.text() : "its second argument")
                    + " as its second input 'kv' (the keys and values), not as 'heads': its positional arguments are (x, kv)",
                    "name the heads: multi_head_attention(x, heads = " + (c.arg("kv") instanceof Ast.NumberLit n ? n.text() : "H")
                            + ") for self-attention, multi_head_attention(x, kv, heads = H) for cross-attention");
        TensorType x = sequence(c, "multi_head_attention", "x");
        heads(c, x);
        if (c.arg("kv") != null) {
            TensorType kv = sequence(c, "multi_head_attention", "kv");
            if (!kv.shape().dim(0).equals(x.shape().dim(0)) || !kv.shape().last().equals(x.shape().last()))
                throw c.errorAt("kv", "cross-attention needs keys and values with the batch and features of the queries " + c.describe("x") + " ("
                        + x + "), but " + c.describe("kv") + " is " + kv, "the time lengths may differ; the batch and the last axis d may not");
        }
        c.record("causal", flag(c, "causal", false));
        projections(c, "", x.shape().last());
        return x;
    }

    private static TensorType transformerBlock(TypeContext c) {
        TensorType x = sequence(c, "transformer_block", "x");
        heads(c, x);
        c.record("causal", flag(c, "causal", true));
        c.record("norm_first", flag(c, "norm_first", false));
        int hidden = c.positiveInt("hidden");
        Dim d = x.shape().last();
        projections(c, "attention.", d);
        norm(c, "norm1", d);
        c.createParam("ff1.W", TensorType.f32(Shape.of(d, Dim.of(hidden))), new Init.Xavier());
        c.createParam("ff1.b", TensorType.f32(Shape.of(hidden)), Init.ZEROS);
        c.createParam("ff2.W", TensorType.f32(Shape.of(Dim.of(hidden), d)), new Init.Xavier());
        c.createParam("ff2.b", TensorType.f32(Shape.of(d)), Init.ZEROS);
        norm(c, "norm2", d);
        return x;
    }

    /** The query, key, value and output projections of an attention layer: dense layers d → d. */
    private static void projections(TypeContext c, String prefix, Dim d) {
        for (String p : new String[] {"q", "k", "v", "out"}) {
            c.createParam(prefix + p + ".W", TensorType.f32(Shape.of(d, d)), new Init.Xavier());
            c.createParam(prefix + p + ".b", TensorType.f32(Shape.of(d)), Init.ZEROS);
        }
    }

    private static void norm(TypeContext c, String name, Dim d) {
        c.createParam(name + ".gamma", TensorType.f32(Shape.of(d)), new Init.Constant(1));
        c.createParam(name + ".beta", TensorType.f32(Shape.of(d)), Init.ZEROS);
    }

    /** A sequence f32[batch, time, d] with fixed time and d. */
    private static TensorType sequence(TypeContext c, String what) { return sequence(c, what, "x"); }

    /** Tensor argument {@code arg}: a sequence f32[batch, time, d] with fixed time and d. */
    private static TensorType sequence(TypeContext c, String what, String arg) {
        TensorType x = c.f32(arg);
        if (x.rank() != 3 || !x.shape().dim(1).isFixed() || !x.shape().dim(2).isFixed())
            throw c.errorAt(arg, what + " needs a sequence f32[batch, time, d], but " + c.describe(arg) + " is " + x, null);
        return x;
    }

    /** Option {@code heads}: a whole number that divides the feature size d; recorded for lowering. */
    private static int heads(TypeContext c, TensorType x) {
        int heads = c.positiveInt("heads");
        long d = x.shape().last().size();
        if (d % heads != 0)
            throw c.errorAt("heads", "the " + d + " features of " + c.describe("x") + " (" + x + ") cannot be split into " + heads + " heads",
                    "heads must divide the last dimension " + d + " (each head gets d/heads features)");
        c.record("heads", (double) heads);
        return heads;
    }

    private static boolean flag(TypeContext c, String option, boolean fallback) {
        Object v = c.option(option);
        if (v == null) return fallback;
        if ("true".equals(v) || "false".equals(v)) return "true".equals(v);
        throw c.errorAt(option, "'" + option + "' of " + c.name() + " must be true or false, got " + c.show(v), null);
    }

    // ---------------------------------------------------------------- lowerings

    /** max over the last axis, kept: the shift that keeps exp from overflowing. */
    static Node rowMax(GraphBuilder b, Node x) { return b.shiftMax(x, ShapeBuiltins.lastAxis(x)); }

    /** The axis the type rule recorded. */
    private static List<Integer> softmaxAxis(LowerContext c) { return List.of(c.intOption("axis")); }

    private static Node softmax(LowerContext c) {
        GraphBuilder b = c.builder();
        if (c.tensor(1) != null) return maskedSoftmax(b, c.tensor(0), c.tensor(1), softmaxAxis(c));
        if (c.has("mask")) return causalSoftmax(b, c.tensor(0));
        return softmax(b, c.tensor(0), softmaxAxis(c));
    }

    /** softmax over {@code axes}: e^(x − m) / Σ e^(x − m), m the kept maximum. */
    public static Node softmax(GraphBuilder b, Node x, List<Integer> axes) {
        Node e = b.unary(UnaryFn.EXP, b.sub(x, b.shiftMax(x, axes)));
        return b.div(e, b.sum(e, axes, true));
    }

    /** (x − m) − ln Σ e^(x − m) over {@code axes}. */
    public static Node logSoftmax(GraphBuilder b, Node x, List<Integer> axes) {
        Node shifted = b.sub(x, b.shiftMax(x, axes));
        return b.sub(shifted, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, shifted), axes, true)));
    }

    /**
     * softmax over {@code axes} of the positions where {@code mask ≠ 0} (a NaN mask counts as kept):
     * the others are replaced by −1e30 before the maximum is taken and their exponentials selected
     * away, so their probability and gradient are exactly 0. A row with every position masked has
     * the sum 0, which is replaced by 1: its probabilities are all 0 and so is its gradient (PyTorch's
     * {@code masked_fill(-inf)} then softmax gives NaN there).
     */
    public static Node maskedSoftmax(GraphBuilder b, Node x, Node mask, List<Integer> axes) {
        Node shifted = b.sub(b.where(mask, x, b.constant(-1e30)), b.shiftMax(b.where(mask, x, b.constant(-1e30)), axes));
        Node e = b.where(mask, b.unary(UnaryFn.EXP, shifted), b.constant(0));
        Node sum = b.sum(e, axes, true);
        return b.div(e, b.where(b.binary(BinaryFn.EQ, sum, b.constant(0)), b.constant(1), sum));
    }

    static Node softmax(GraphBuilder b, Node x) {
        Node e = b.unary(UnaryFn.EXP, b.sub(x, rowMax(b, x)));
        return b.div(e, b.sum(e, ShapeBuiltins.lastAxis(e), true));
    }

    static Node logSoftmax(GraphBuilder b, Node x) {
        Node shifted = b.sub(x, rowMax(b, x));
        return b.sub(shifted, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, shifted), ShapeBuiltins.lastAxis(x), true)));
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
     * keep = (i ≥ j), an index comparison (iota); the row maximum is taken over the kept scores (the
     * others replaced by −1e30, finite, so no inf − inf), and the exponentials are multiplied by keep,
     * so an excluded probability is exactly 0 and so is its gradient (0 · a finite value). Every row
     * keeps j = 0.
     */
    public static Node causalSoftmax(GraphBuilder b, Node x) {
        int r = x.shape().rank();
        Shape square = Shape.of(x.shape().dim(r - 2), x.shape().dim(r - 1));
        Node keep = b.binary(BinaryFn.GE, b.node(new Op.Iota(square, 0)), b.node(new Op.Iota(square, 1)));
        Node masked = b.where(keep, x, b.constant(-1e30));
        List<Integer> last = ShapeBuiltins.lastAxis(x);
        Node shifted = b.sub(masked, b.shiftMax(masked, last));
        Node e = b.mul(b.unary(UnaryFn.EXP, shifted), keep);
        return b.div(e, b.sum(e, last, true));
    }

    /**
     * Multi-head attention of x's positions over kv's (kv = x: self-attention) with the projections
     * {@code PREFIX.q/k/v/out} ({@code W: [d, d]}, {@code b: [d]}): Q = x·W_q + b_q, K and V from kv
     * likewise, softmax(Q_h K_hᵀ / √(d/heads)) V_h per head, heads merged, then the output
     * projection; the same ops as the hand-written fn in the language reference.
     */
    private static Node multiHeadAttention(GraphBuilder b, Node x, Node kv, int heads, boolean causal, String prefix,
                                           Function<String, Node> param) {
        Node q = dense(b, x, prefix + "q", param), k = dense(b, kv, prefix + "k", param), v = dense(b, kv, prefix + "v", param);
        long dk = x.shape().last().size() / heads;
        Node scores = b.div(b.matmul(splitHeads(b, q, heads), splitHeads(b, k, heads), false, true), b.unary(UnaryFn.SQRT, b.constant(dk)));
        Node a = causal ? causalSoftmax(b, scores) : softmax(b, scores);
        return dense(b, mergeHeads(b, b.matmul(a, splitHeads(b, v, heads), false, false)), prefix + "out", param);
    }

    /**
     * Post-norm block: h = layer_norm(x + attention(x)); layer_norm(h + dense(gelu(dense(h, hidden)), d)).
     * Pre-norm ({@code normFirst}, torch's {@code norm_first=True}): h = x + attention(norm1(x));
     * h + ff(norm2(h)).
     */
    private static Node transformerBlock(GraphBuilder b, Node x, int heads, boolean causal, boolean normFirst, Function<String, Node> param) {
        if (normFirst) {
            Node n1 = norm(b, x, "norm1", param);
            Node h = b.add(x, multiHeadAttention(b, n1, n1, heads, causal, "attention.", param));
            return b.add(h, dense(b, ElementwiseBuiltins.gelu(b, dense(b, norm(b, h, "norm2", param), "ff1", param)), "ff2", param));
        }
        Node h = norm(b, b.add(x, multiHeadAttention(b, x, x, heads, causal, "attention.", param)), "norm1", param);
        Node ff = dense(b, ElementwiseBuiltins.gelu(b, dense(b, h, "ff1", param)), "ff2", param);
        return norm(b, b.add(h, ff), "norm2", param);
    }

    private static Node dense(GraphBuilder b, Node x, String layer, Function<String, Node> param) {
        return b.matmulLastAxis(x, param.apply(layer + ".W"), false, param.apply(layer + ".b"));
    }

    private static Node norm(GraphBuilder b, Node x, String layer, Function<String, Node> param) {
        return NormBuiltins.layerNorm(b, x, param.apply(layer + ".gamma"), param.apply(layer + ".beta"), 1e-5);
    }
}

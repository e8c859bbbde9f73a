package nnc.check;

import nnc.runtime.Init;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Type rules of attention (DSL.md §11): {@code split_heads(x, heads)} {@code [batch, time, d] →
 * [batch, heads, time, d/heads]}, {@code merge_heads(x)} its inverse, {@code softmax(x, mask = causal)}
 * (positions j > i of the last two axes [.., i, j] excluded), and the library layers
 * {@code multi_head_attention(x, heads, causal = false)} (owns {@code NAME.q}, {@code NAME.k},
 * {@code NAME.v} and {@code NAME.out}, each a dense layer's {@code W: [d, d]} (xavier) and
 * {@code b: [d]} (zeros)) and {@code transformer_block(x, heads, hidden, causal = true)} (post-norm, as
 * the sample: {@code h = layer_norm(x + attention(x))}, {@code layer_norm(h + dense(gelu(dense(h, hidden)), d))};
 * owns {@code NAME.attention.*}, {@code NAME.norm1.*}, {@code NAME.ff1.*}, {@code NAME.ff2.*},
 * {@code NAME.norm2.*}).
 */
final class AttentionBuiltins {
    private AttentionBuiltins() {}

    /** The one mask softmax knows. */
    static final String CAUSAL = "causal";

    static TensorType splitHeads(CallSite c) {
        TensorType x = sequence(c, "split_heads");
        int heads = heads(c, x);
        Shape s = x.shape();
        return TensorType.f32(Shape.of(s.dim(0), Dim.of(heads), s.dim(1), Dim.of(s.dim(2).size() / heads)));
    }

    static TensorType mergeHeads(CallSite c) {
        TensorType x = c.f32("x");
        Shape s = x.shape();
        if (x.rank() != 4 || !s.dim(1).isFixed() || !s.dim(3).isFixed())
            throw c.errorAt("x", "merge_heads joins the heads of f32[batch, heads, time, d], but " + c.describe("x") + " is " + x,
                    "it undoes split_heads(x, heads)");
        return TensorType.f32(Shape.of(s.dim(0), s.dim(2), Dim.of(s.dim(1).size() * s.dim(3).size())));
    }

    /** softmax over the last axis; with {@code mask = causal}, of a tensor whose last two axes are [.., time_i, time_j]. */
    static TensorType softmax(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() == 0) throw c.errorAt("x", c.name() + " works over the last axis, but " + c.describe("x") + " is a scalar f32[]", null);
        if (!c.has("mask")) return x;
        if (!CAUSAL.equals(c.option("mask")))
            throw c.errorAt("mask", "the mask of softmax is 'causal', got " + show(c.option("mask")),
                    "mask = causal gives positions j > i of the last two axes [.., i, j] probability 0");
        Shape s = x.shape();
        if (x.rank() < 2 || !s.dim(x.rank() - 2).isFixed() || !s.last().isFixed())
            throw c.errorAt("x", "a causal softmax masks the last two axes [.., time, time], but " + c.describe("x") + " is " + x,
                    "apply it to attention scores, e.g. f32[batch, heads, time, time]");
        return x;
    }

    static TensorType multiHeadAttention(CallSite c) {
        TensorType x = sequence(c, "multi_head_attention");
        heads(c, x);
        c.record("causal", flag(c, "causal", false));
        projections(c, "", x.shape().last());
        return x;
    }

    static TensorType transformerBlock(CallSite c) {
        TensorType x = sequence(c, "transformer_block");
        heads(c, x);
        c.record("causal", flag(c, "causal", true));
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
    private static void projections(CallSite c, String prefix, Dim d) {
        for (String p : new String[] {"q", "k", "v", "out"}) {
            c.createParam(prefix + p + ".W", TensorType.f32(Shape.of(d, d)), new Init.Xavier());
            c.createParam(prefix + p + ".b", TensorType.f32(Shape.of(d)), Init.ZEROS);
        }
    }

    private static void norm(CallSite c, String name, Dim d) {
        c.createParam(name + ".gamma", TensorType.f32(Shape.of(d)), new Init.Constant(1));
        c.createParam(name + ".beta", TensorType.f32(Shape.of(d)), Init.ZEROS);
    }

    /** A sequence f32[batch, time, d] with fixed time and d. */
    private static TensorType sequence(CallSite c, String what) {
        TensorType x = c.f32("x");
        if (x.rank() != 3 || !x.shape().dim(1).isFixed() || !x.shape().dim(2).isFixed())
            throw c.errorAt("x", what + " needs a sequence f32[batch, time, d], but " + c.describe("x") + " is " + x, null);
        return x;
    }

    /** Option {@code heads}: a whole number that divides the feature size d; recorded for lowering. */
    private static int heads(CallSite c, TensorType x) {
        int heads = c.positiveInt("heads");
        long d = x.shape().last().size();
        if (d % heads != 0)
            throw c.errorAt("heads", "the " + d + " features of " + c.describe("x") + " (" + x + ") cannot be split into " + heads + " heads",
                    "heads must divide the last dimension " + d + " (each head gets d/heads features)");
        c.record("heads", (double) heads);
        return heads;
    }

    private static boolean flag(CallSite c, String option, boolean fallback) {
        Object v = c.option(option);
        if (v == null) return fallback;
        if ("true".equals(v) || "false".equals(v)) return "true".equals(v);
        throw c.errorAt(option, "'" + option + "' of " + c.name() + " must be true or false, got " + show(v), null);
    }

    private static String show(Object v) { return v instanceof Double d ? ConstEval.show(d) : "'" + v + "'"; }
}

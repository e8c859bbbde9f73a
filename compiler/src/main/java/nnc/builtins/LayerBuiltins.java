package nnc.builtins;

import static nnc.builtins.Builtin.layer;

import java.util.List;
import nnc.ir.Node;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Layers: {@code dense} and {@code embedding}; convolution and pooling are {@link ConvBuiltins}.
 */
final class LayerBuiltins {
    private LayerBuiltins() {}

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("dense", "embedding");

    static List<Builtin> all() {
        return List.of(
                layer("dense", new Signature(List.of("x"), List.of("units", "bias"), List.of("units")), LayerBuiltins::dense,
                        c -> c.builder().matmulLastAxis(c.tensor(0), c.param("W"), false, Boolean.FALSE.equals(c.option("bias")) ? null : c.param("b"))),
                layer("embedding", new Signature(List.of("tokens"), List.of("vocab", "dim"), List.of("vocab", "dim")), LayerBuiltins::embedding,
                        LayerBuiltins::embedding));
    }

    // ---------------------------------------------------------------- dense and embedding

    private static TensorType dense(TypeContext c) {
        TensorType x = c.f32("x");
        if (x.rank() < 2 || x.rank() > 3)
            throw c.errorAt("x", "dense needs a matrix input f32[batch, features] (or a sequence f32[batch, time, features]), but " + c.describe("x") + " is " + x,
                    x.rank() < 2 ? "give it a batch axis: f32[batch, n]"
                            : "flatten it first: dense(flatten(" + (c.arg("x") instanceof Ast.NameRef n ? n.name() : "...") + "), "
                            + (c.option("units") instanceof Double u ? c.show(u) : "n") + ")");
        int units = c.positiveInt("units");
        Dim in = x.shape().last();
        if (!in.isFixed()) throw c.errorAt("x", "dense needs a fixed number of input features, but " + c.describe("x") + " is " + x, null);
        boolean bias = flag(c, "bias", true);
        if (c.has("bias")) c.record("bias", bias);
        c.createParam("W", TensorType.f32(Shape.of(in, Dim.of(units))), new Init.Xavier());
        if (bias) c.createParam("b", TensorType.f32(Shape.of(units)), Init.ZEROS);
        return TensorType.f32(x.shape().with(x.rank() - 1, Dim.of(units))); // the last axis, as torch.nn.Linear
    }

    /** Option {@code option} written {@code true} or {@code false}; {@code fallback} when absent. */
    static boolean flag(TypeContext c, String option, boolean fallback) {
        Object v = c.option(option);
        if (v == null) return fallback;
        if ("true".equals(v) || "false".equals(v)) return "true".equals(v);
        throw c.errorAt(option, "'" + option + "' of " + c.name() + " must be true or false, got " + c.show(v), null);
    }

    /**
     * i32 token ids [..] → f32 rows [.., dim] of the owned table W: f32[vocab, dim], normal(0, 1) as
     * torch.nn.Embedding.
     */
    private static TensorType embedding(TypeContext c) {
        TensorType tokens = c.type("tokens");
        if (tokens.dtype() != DType.I32)
            throw c.errorAt("tokens", "embedding needs i32 token ids, but " + c.describe("tokens") + " is " + tokens,
                    "declare the tokens as i32[batch, time]");
        int vocab = c.positiveInt("vocab"), dim = c.positiveInt("dim");
        c.createParam("W", TensorType.f32(Shape.of(vocab, dim)), new Init.Normal(0, 1));
        return TensorType.f32(tokens.shape().append(Dim.of(dim)));
    }

    /**
     * Rows of W [vocab, dim] picked by i32 token ids [..]: {@code gather(W, tokens)}, a copy of each
     * row (fused into its consumers' loops), whose gradient is the scatter-add of g's rows into a zero
     * [vocab, dim] in a fixed order. A token outside 0..vocab-1 stops the step with an error naming it.
     */
    private static Node embedding(LowerContext c) {
        return c.builder().gather(c.param("W"), c.tensor(0));
    }
}

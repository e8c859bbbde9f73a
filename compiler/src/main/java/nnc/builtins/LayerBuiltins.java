package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Builtin.layer;

import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.SpatialFn;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Layers: {@code dense}, {@code embedding}, {@code conv2d}, and pooling.
 *
 * <p>Convolution and pooling work on NCHW images {@code f32[batch, channels, height, width]} with
 * fixed channels and sizes; each records its window ({@code kernel}, {@code stride},
 * {@code padding}, whole numbers) for lowering to {@link Op.Spatial}.
 * {@code conv2d(x, out_channels, kernel = k, stride = 1, padding = 0 | same | p)} owns
 * {@code NAME.W: [out, in, k, k]} and {@code NAME.b: [out]}, both drawn from
 * U(−1/√fan_in, 1/√fan_in) with fan_in = in·k·k: PyTorch's {@code nn.Conv2d} default
 * ({@code kaiming_uniform_(a=√5)} for the weight, the same bound for the bias). {@code same}
 * padding, (k − 1)/2, needs stride 1 and an odd kernel (as PyTorch's {@code padding='same'}, which
 * also refuses stride > 1). Pooling: {@code max_pool2d(x, k, stride = k)}, no padding.
 */
final class LayerBuiltins {
    private LayerBuiltins() {}

    static List<Builtin> all() {
        Signature pool = new Signature(List.of("x"), List.of("kernel", "stride"), List.of("kernel"));
        return List.of(
                layer("dense", new Signature(List.of("x"), List.of("units", "bias"), List.of("units")), LayerBuiltins::dense,
                        c -> c.builder().matmulLastAxis(c.tensor(0), c.param("W"), false, Boolean.FALSE.equals(c.option("bias")) ? null : c.param("b"))),
                layer("embedding", new Signature(List.of("tokens"), List.of("vocab", "dim"), List.of("vocab", "dim")), LayerBuiltins::embedding,
                        LayerBuiltins::embedding),
                layer("conv2d", new Signature(List.of("x"), List.of("out_channels", "kernel", "stride", "padding"), List.of("out_channels", "kernel")),
                        LayerBuiltins::conv2d, LayerBuiltins::conv2d),
                function("max_pool2d", pool, LayerBuiltins::pool, c -> pool(c, SpatialFn.MAX_POOL2D)),
                function("avg_pool2d", pool, LayerBuiltins::pool, c -> pool(c, SpatialFn.AVG_POOL2D)));
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

    // ---------------------------------------------------------------- convolution and pooling

    private static TensorType conv2d(TypeContext c) {
        TensorType x = image(c);
        int out = size(c, "out_channels");
        int k = size(c, "kernel");
        int stride = c.has("stride") ? size(c, "stride") : 1;
        int pad = padding(c, k, stride);
        long in = x.shape().dim(1).size();
        Shape o = outputShape(c, x, k, stride, pad);
        c.record("stride", (double) stride);
        c.record("padding", (double) pad);
        double bound = 1 / Math.sqrt((double) in * k * k);
        c.createParam("W", TensorType.f32(Shape.of(Dim.of(out), Dim.of(in), Dim.of(k), Dim.of(k))), new Init.Uniform(-bound, bound));
        c.createParam("b", TensorType.f32(Shape.of(out)), new Init.Uniform(-bound, bound));
        return TensorType.f32(o.with(1, Dim.of(out)));
    }

    private static TensorType pool(TypeContext c) {
        TensorType x = image(c);
        int k = size(c, "kernel");
        int stride = c.has("stride") ? size(c, "stride") : k;
        c.record("stride", (double) stride);
        c.record("padding", 0.0);
        return TensorType.f32(outputShape(c, x, k, stride, 0));
    }

    /** x as f32[batch, C, H, W] with fixed C, H, W. */
    private static TensorType image(TypeContext c) {
        TensorType x = c.f32("x");
        if (x.rank() != 4)
            throw c.errorAt("x", c.name() + " needs images f32[batch, channels, height, width], but " + c.describe("x") + " is " + x,
                    x.rank() == 2 && x.shape().dim(1).isFixed()
                            ? "declare the input as images, e.g. f32[batch, 1, " + side(x, "h") + ", " + side(x, "w") + "], or reshape it: reshape("
                              + (c.arg("x") instanceof Ast.NameRef n ? n.name() : "x") + ", batch, 1, " + side(x, "h") + ", " + side(x, "w") + ")"
                            : "convolution and pooling work on NCHW tensors of rank 4");
        for (int a = 1; a < 4; a++)
            if (!x.shape().dim(a).isFixed())
                throw c.errorAt("x", c.name() + " needs fixed channels, height and width, but " + c.describe("x") + " is " + x, null);
        return x;
    }

    /** A whole number of at least 1 (channels, kernel, stride), with a hint when it is not. */
    private static int size(TypeContext c, String option) {
        Object v = c.option(option);
        if (v instanceof Double d && (d != Math.rint(d) || d < 1))
            throw c.errorAt(option, "'" + option + "' of " + c.name() + " must be a whole number of at least 1, got " + c.show(d),
                    option.equals("out_channels") ? "it counts feature maps, e.g. 6" : "it counts pixels, e.g. " + option + " = " + Math.max(1, Math.round(d)));
        return c.positiveInt(option);
    }

    /** The side of a square image with as many pixels as a row of {@code x}, or {@code name} when there is none. */
    private static String side(TensorType x, String name) {
        long n = x.shape().dim(1).size(), s = Math.round(Math.sqrt(n));
        return s * s == n ? Long.toString(s) : name;
    }

    /** 0 when absent; a whole number ≥ 0; or {@code same}. */
    private static int padding(TypeContext c, int k, int stride) {
        Object v = c.option("padding");
        if (v == null) return 0;
        if ("same".equals(v)) {
            if (stride != 1 || k % 2 == 0)
                throw c.errorAt("padding", "padding = same needs stride 1 and an odd kernel, got kernel " + k + " and stride " + stride,
                        "give the padding as a number, e.g. padding = " + (k - 1) / 2);
            return (k - 1) / 2;
        }
        if (!(v instanceof Double d) || d != Math.rint(d) || d < 0 || d > 1 << 16)
            throw c.errorAt("padding", "'padding' of " + c.name() + " must be a whole number of at least 0 or 'same', got " + c.show(v), null);
        return (int) (double) d;
    }

    private static Shape outputShape(TypeContext c, TensorType x, int k, int stride, int pad) {
        long h = x.shape().dim(2).size(), w = x.shape().dim(3).size();
        if (h + 2L * pad < k || w + 2L * pad < k)
            throw c.errorAt("x", c.name() + "'s kernel " + k + "x" + k + " is larger than " + (pad == 0 ? "the input's " : "the padded input's ")
                            + (h + 2L * pad) + "x" + (w + 2L * pad) + " images (" + c.describe("x") + " is " + x + ")",
                    "use a smaller kernel" + (c.name().equals("conv2d") ? " or pad the input (padding = " + (k - 1) / 2 + ")" : "")
                            + ", or pool less before this layer");
        return Shape.of(x.shape().dim(0), x.shape().dim(1), Dim.of((h + 2L * pad - k) / stride + 1), Dim.of((w + 2L * pad - k) / stride + 1));
    }

    /** A convolution plus the bias over each channel. */
    private static Node conv2d(LowerContext c) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0), w = c.param("W"), bias = c.param("b");
        Node y = b.node(window(c, SpatialFn.CONV2D, x, (int) w.shape().dim(2).size()), x, w);
        // the bias [out] as [out, 1, 1], broadcast over batch, height and width
        return b.add(y, b.reshape(bias, Shape.of(bias.shape().dim(0), Dim.ONE, Dim.ONE)));
    }

    private static Node pool(LowerContext c, SpatialFn fn) {
        Node x = c.tensor(0);
        return c.builder().node(window(c, fn, x, c.intOption("kernel")), x);
    }

    private static Op.Spatial window(LowerContext c, SpatialFn fn, Node x, int k) {
        return new Op.Spatial(fn, k, c.intOption("stride"), c.intOption("padding"), (int) x.shape().dim(2).size(), (int) x.shape().dim(3).size());
    }
}

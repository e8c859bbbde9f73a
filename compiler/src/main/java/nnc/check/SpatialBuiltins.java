package nnc.check;

import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Type rules of {@code conv2d}, {@code max_pool2d} and {@code avg_pool2d} on NCHW images
 * {@code f32[batch, channels, height, width]} with fixed channels and sizes. Each records its
 * window ({@code kernel}, {@code stride}, {@code padding}, whole numbers) for lowering.
 *
 * <p>{@code conv2d(x, out_channels, kernel = k, stride = 1, padding = 0 | same | p)} owns
 * {@code NAME.W: [out, in, k, k]} and {@code NAME.b: [out]}, both drawn from
 * U(−1/√fan_in, 1/√fan_in) with fan_in = in·k·k: PyTorch's {@code nn.Conv2d} default
 * ({@code kaiming_uniform_(a=√5)} for the weight, the same bound for the bias). {@code same}
 * padding, (k − 1)/2, needs stride 1 and an odd kernel (as PyTorch's {@code padding='same'}, which
 * also refuses stride > 1). Pooling: {@code max_pool2d(x, k, stride = k)}, no padding.
 */
final class SpatialBuiltins {
    private SpatialBuiltins() {}

    static TensorType conv2d(CallSite c) {
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

    static TensorType pool(CallSite c) {
        TensorType x = image(c);
        int k = size(c, "kernel");
        int stride = c.has("stride") ? size(c, "stride") : k;
        c.record("stride", (double) stride);
        c.record("padding", 0.0);
        return TensorType.f32(outputShape(c, x, k, stride, 0));
    }

    /** x as f32[batch, C, H, W] with fixed C, H, W. */
    private static TensorType image(CallSite c) {
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
    private static int size(CallSite c, String option) {
        Object v = c.option(option);
        if (v instanceof Double d && (d != Math.rint(d) || d < 1))
            throw c.errorAt(option, "'" + option + "' of " + c.name() + " must be a whole number of at least 1, got " + ConstEval.show(d),
                    option.equals("out_channels") ? "it counts feature maps, e.g. 6" : "it counts pixels, e.g. " + option + " = " + Math.max(1, Math.round(d)));
        return c.positiveInt(option);
    }

    /** The side of a square image with as many pixels as a row of {@code x}, or {@code name} when there is none. */
    private static String side(TensorType x, String name) {
        long n = x.shape().dim(1).size(), s = Math.round(Math.sqrt(n));
        return s * s == n ? Long.toString(s) : name;
    }

    /** 0 when absent; a whole number ≥ 0; or {@code same}. */
    private static int padding(CallSite c, int k, int stride) {
        Object v = c.option("padding");
        if (v == null) return 0;
        if ("same".equals(v)) {
            if (stride != 1 || k % 2 == 0)
                throw c.errorAt("padding", "padding = same needs stride 1 and an odd kernel, got kernel " + k + " and stride " + stride,
                        "give the padding as a number, e.g. padding = " + (k - 1) / 2);
            return (k - 1) / 2;
        }
        if (!(v instanceof Double d) || d != Math.rint(d) || d < 0 || d > 1 << 16)
            throw c.errorAt("padding", "'padding' of " + c.name() + " must be a whole number of at least 0 or 'same', got "
                    + (v instanceof Double d ? ConstEval.show(d) : "'" + v + "'"), null);
        return (int) (double) d;
    }

    private static Shape outputShape(CallSite c, TensorType x, int k, int stride, int pad) {
        long h = x.shape().dim(2).size(), w = x.shape().dim(3).size();
        if (h + 2L * pad < k || w + 2L * pad < k)
            throw c.errorAt("x", c.name() + "'s kernel " + k + "x" + k + " is larger than " + (pad == 0 ? "the input's " : "the padded input's ")
                            + (h + 2L * pad) + "x" + (w + 2L * pad) + " images (" + c.describe("x") + " is " + x + ")",
                    "use a smaller kernel" + (c.name().equals("conv2d") ? " or pad the input (padding = " + (k - 1) / 2 + ")" : "")
                            + ", or pool less before this layer");
        return Shape.of(x.shape().dim(0), x.shape().dim(1), Dim.of((h + 2L * pad - k) / stride + 1), Dim.of((w + 2L * pad - k) / stride + 1));
    }
}

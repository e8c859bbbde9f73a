package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Builtin.layer;

import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.SpatialFn;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Convolution and pooling: {@code conv2d}, {@code conv1d}, {@code max_pool2d}, {@code avg_pool2d},
 * {@code global_avg_pool2d}, {@code global_max_pool2d}.
 *
 * <p>They work on NCHW images {@code f32[batch, channels, height, width]} (conv1d: NCL sequences
 * {@code f32[batch, channels, length]}) with fixed channels and sizes. {@code kernel},
 * {@code stride} and {@code padding} are whole numbers or pairs {@code (rows, columns)}; the type
 * rule records the window as {@code kh, kw, sh, sw, ph, pw} for lowering to {@link Op.Spatial}.
 * {@code conv2d(x, out_channels, kernel, stride = 1, padding = 0 | same | p, dilation = 1, groups = 1,
 * bias = true)} owns {@code NAME.W: [out, in / groups, kh, kw]} and {@code NAME.b: [out]}, both drawn
 * from U(−1/√fan_in, 1/√fan_in) with fan_in = in/groups·kh·kw: PyTorch's {@code nn.Conv2d} default.
 * {@code same} padding, d·(k − 1)/2, needs stride 1 and an odd kernel (as PyTorch's
 * {@code padding='same'}).
 * {@code conv1d} is conv2d over a height of 1 with {@code NAME.W: [out, in, k]}, as
 * {@code nn.Conv1d}. Pooling: {@code max_pool2d(x, kernel, stride = kernel, padding = 0)}, padding
 * at most half the kernel as PyTorch requires; a max pool's padding never wins, an average pool
 * counts it as zeros (PyTorch's {@code count_include_pad = True}). Global pooling is the pool whose
 * window is the whole image: {@code [batch, C, 1, 1]}, as {@code adaptive_avg_pool2d(x, 1)}.
 */
final class ConvBuiltins {
    private ConvBuiltins() {}

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("conv2d", "conv1d", "max_pool2d", "avg_pool2d", "global_max_pool2d", "global_avg_pool2d");

    static List<Builtin> all() {
        Signature pool = new Signature(List.of("x"), List.of("kernel", "stride", "padding"), List.of("kernel"));
        Signature global = new Signature(List.of("x"), List.of(), List.of());
        Signature conv = new Signature(List.of("x"), List.of("out_channels", "kernel", "stride", "padding", "dilation", "groups", "bias"),
                List.of("out_channels", "kernel"));
        return List.of(
                layer("conv2d", conv, ConvBuiltins::conv2d, c -> conv(c, false)),
                layer("conv1d", conv, ConvBuiltins::conv1d, c -> conv(c, true)),
                function("max_pool2d", pool, ConvBuiltins::pool, c -> pool(c, SpatialFn.MAX_POOL2D)),
                function("avg_pool2d", pool, ConvBuiltins::pool, c -> pool(c, SpatialFn.AVG_POOL2D)),
                function("global_max_pool2d", global, ConvBuiltins::global, c -> pool(c, SpatialFn.MAX_POOL2D)),
                function("global_avg_pool2d", global, ConvBuiltins::global, c -> pool(c, SpatialFn.AVG_POOL2D)));
    }

    // ---------------------------------------------------------------- type rules

    private static TensorType conv2d(TypeContext c) {
        TensorType x = image(c, 4);
        return convolution(c, x, x.shape().dim(2).size(), x.shape().dim(3).size(), pair(c, "kernel", null));
    }

    /** conv1d: the window of a conv2d over [batch, C, 1, L] with a kernel (1, k). */
    private static TensorType conv1d(TypeContext c) {
        TensorType x = image(c, 3);
        Object k = c.option("kernel");
        if (k instanceof List<?>)
            throw c.errorAt("kernel", "'kernel' of conv1d must be a whole number of at least 1, got " + c.show(k), "conv1d slides along one axis, e.g. kernel = 3");
        for (String option : List.of("stride", "padding", "dilation"))
            if (c.option(option) instanceof List<?>)
                throw c.errorAt(option, "'" + option + "' of conv1d must be a whole number, got " + c.show(c.option(option)), null);
        TensorType y = convolution(c, x, 1, x.shape().dim(2).size(), new int[] {1, pair(c, "kernel", null)[1]});
        return TensorType.f32(Shape.of(y.shape().dim(0), y.shape().dim(1), y.shape().dim(3)));
    }

    /** The window of a convolution over h × w images, its parameters, and its [batch, out, H', W'] result. */
    private static TensorType convolution(TypeContext c, TensorType x, long h, long w, int[] k) {
        int out = size(c, "out_channels");
        boolean sequence = x.rank() == 3;
        int[] stride = pair(c, "stride", new int[] {1, 1}), dilation = pair(c, "dilation", new int[] {1, 1});
        if (sequence) stride[0] = dilation[0] = 1;
        int[] span = {dilation[0] * (k[0] - 1) + 1, dilation[1] * (k[1] - 1) + 1};
        int[] pad = padding(c, k, span, stride, sequence);
        boolean bias = flag(c, "bias", true);
        long in = x.shape().dim(1).size();
        int groups = c.has("groups") ? size(c, "groups") : 1;
        if (in % groups != 0 || out % groups != 0)
            throw c.errorAt("groups", c.name() + " splits its " + in + " input and " + out + " output channels into " + groups
                    + " groups, but " + (in % groups != 0 ? in : out) + " is not a multiple of " + groups,
                    "groups must divide both channel counts; groups = " + in + " with out_channels a multiple of " + in + " is a depthwise convolution");
        Shape o = outputShape(c, x.shape(), h, w, span, stride, pad);
        record(c, k, stride, pad);
        c.record("dh", (double) dilation[0]);
        c.record("dw", (double) dilation[1]);
        c.record("groups", (double) groups);
        c.record("bias", bias);
        long perGroup = in / groups;
        double bound = 1 / Math.sqrt((double) perGroup * k[0] * k[1]);
        Shape weight = sequence ? Shape.of(out, perGroup, k[1]) : Shape.of(out, perGroup, k[0], k[1]);
        c.createParam("W", TensorType.f32(weight), new Init.Uniform(-bound, bound));
        if (bias) c.createParam("b", TensorType.f32(Shape.of(out)), new Init.Uniform(-bound, bound));
        return TensorType.f32(o.with(1, Dim.of(out)));
    }

    private static TensorType pool(TypeContext c) {
        TensorType x = image(c, 4);
        int[] k = pair(c, "kernel", null);
        int[] stride = pair(c, "stride", k);
        int[] pad = pair(c, "padding", new int[] {0, 0});
        if (2 * pad[0] > k[0] || 2 * pad[1] > k[1])
            throw c.errorAt("padding", c.name() + "'s padding " + c.show(c.option("padding")) + " is more than half its kernel " + c.show(c.option("kernel")),
                    "PyTorch allows at most kernel / 2, e.g. padding = " + k[0] / 2);
        record(c, k, stride, pad);
        return TensorType.f32(outputShape(c, x.shape(), x.shape().dim(2).size(), x.shape().dim(3).size(), k, stride, pad));
    }

    /** The pool whose window is the whole image. */
    private static TensorType global(TypeContext c) {
        TensorType x = image(c, 4);
        int h = (int) x.shape().dim(2).size(), w = (int) x.shape().dim(3).size();
        record(c, new int[] {h, w}, new int[] {h, w}, new int[] {0, 0});
        return TensorType.f32(Shape.of(x.shape().dim(0), x.shape().dim(1), Dim.ONE, Dim.ONE));
    }

    private static void record(TypeContext c, int[] k, int[] stride, int[] pad) {
        c.record("kh", (double) k[0]);
        c.record("kw", (double) k[1]);
        c.record("sh", (double) stride[0]);
        c.record("sw", (double) stride[1]);
        c.record("ph", (double) pad[0]);
        c.record("pw", (double) pad[1]);
    }

    /** x as f32[batch, C, H, W] (rank 4) or f32[batch, C, L] (rank 3) with fixed sizes after the batch. */
    private static TensorType image(TypeContext c, int rank) {
        TensorType x = c.f32("x");
        if (x.rank() != rank) {
            if (rank == 3)
                throw c.errorAt("x", "conv1d needs sequences f32[batch, channels, length], but " + c.describe("x") + " is " + x,
                        x.rank() == 4 ? "images take conv2d" : "convolution works on NCL tensors of rank 3");
            throw c.errorAt("x", c.name() + " needs images f32[batch, channels, height, width], but " + c.describe("x") + " is " + x,
                    x.rank() == 2 && x.shape().dim(1).isFixed()
                            ? "declare the input as images, e.g. f32[batch, 1, " + side(x, "h") + ", " + side(x, "w") + "], or reshape it: reshape("
                              + (c.arg("x") instanceof Ast.NameRef n ? n.name() : "x") + ", batch, 1, " + side(x, "h") + ", " + side(x, "w") + ")"
                            : x.rank() == 3 && c.name().equals("conv2d") ? "sequences f32[batch, channels, length] take conv1d"
                            : "convolution and pooling work on NCHW tensors of rank 4");
        }
        for (int a = 1; a < rank; a++)
            if (!x.shape().dim(a).isFixed())
                throw c.errorAt("x", c.name() + " needs fixed " + (rank == 3 ? "channels and length" : "channels, height and width")
                        + ", but " + c.describe("x") + " is " + x, null);
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

    /**
     * Option {@code option} as (rows, columns): a number for both, or a pair; {@code fallback} when
     * absent. Kernel and stride are at least 1, padding at least 0.
     */
    private static int[] pair(TypeContext c, String option, int[] fallback) {
        Object v = c.option(option);
        if (v == null) return fallback;
        int min = option.equals("padding") ? 0 : 1;
        if (v instanceof List<?> items) {
            if (items.size() != 2)
                throw c.errorAt(option, "'" + option + "' of " + c.name() + " takes a number or a pair (rows, columns), got " + items.size() + " values",
                        "e.g. " + option + " = (3, 5)");
            int[] out = new int[2];
            for (int i = 0; i < 2; i++) {
                double d = (Double) items.get(i);
                if (d != Math.rint(d) || d < min || d > 1 << 16)
                    throw c.errorAt(option, "the values of '" + option + "' of " + c.name() + " must be whole numbers of at least " + min + ", got " + c.show(v), null);
                out[i] = (int) d;
            }
            return out;
        }
        if (min == 0) {
            if (!(v instanceof Double d) || d != Math.rint(d) || d < 0 || d > 1 << 16)
                throw c.errorAt(option, "'padding' of " + c.name() + " must be a whole number of at least 0, got " + c.show(v), null);
            return new int[] {(int) (double) d, (int) (double) d};
        }
        int s = size(c, option);
        return new int[] {s, s};
    }

    /**
     * (0, 0) when absent; a number or pair ≥ 0; or {@code same}: half the dilated kernel's {@code span}
     * less one. A conv1d ({@code sequence}) pads its length only.
     */
    private static int[] padding(TypeContext c, int[] k, int[] span, int[] stride, boolean sequence) {
        Object v = c.option("padding");
        if ("same".equals(v)) {
            if (stride[0] != 1 || stride[1] != 1 || k[0] % 2 == 0 || k[1] % 2 == 0)
                throw c.errorAt("padding", "padding = same needs stride 1 and an odd kernel, got kernel " + c.show(c.option("kernel"))
                                + " and stride " + (c.has("stride") ? c.show(c.option("stride")) : "1"),
                        "give the padding as a number, e.g. padding = " + (k[1] - 1) / 2);
            return new int[] {(span[0] - 1) / 2, (span[1] - 1) / 2};
        }
        if (v instanceof String)
            throw c.errorAt("padding", "'padding' of " + c.name() + " must be a whole number of at least 0 or 'same', got " + c.show(v), null);
        int[] p = pair(c, "padding", new int[] {0, 0});
        return sequence ? new int[] {0, p[1]} : p;
    }

    private static boolean flag(TypeContext c, String option, boolean fallback) {
        Object v = c.option(option);
        if (v == null) return fallback;
        if ("true".equals(v) || "false".equals(v)) return "true".equals(v);
        throw c.errorAt(option, "'" + option + "' of " + c.name() + " must be true or false, got " + c.show(v), null);
    }

    /** The side of a square image with as many pixels as a row of {@code x}, or {@code name} when there is none. */
    private static String side(TensorType x, String name) {
        long n = x.shape().dim(1).size(), s = Math.round(Math.sqrt(n));
        return s * s == n ? Long.toString(s) : name;
    }

    /** [batch, C, H', W'] of a window spanning {@code k} (dilated: its span) over h × w images. */
    private static Shape outputShape(TypeContext c, Shape x, long h, long w, int[] k, int[] stride, int[] pad) {
        long hp = h + 2L * pad[0], wp = w + 2L * pad[1];
        if (hp < k[0] || wp < k[1]) {
            boolean line = x.rank() == 3;
            String kernel = line ? Integer.toString(k[1]) : k[0] + "x" + k[1];
            String input = line ? wp + "-long sequences" : hp + "x" + wp + " images";
            throw c.errorAt("x", c.name() + "'s kernel " + kernel + " is larger than " + (pad[0] + pad[1] == 0 ? "the input's " : "the padded input's ")
                            + input + " (" + c.describe("x") + " is " + TensorType.f32(x) + ")",
                    "use a smaller kernel" + (c.name().startsWith("conv") ? " or pad the input (padding = " + (k[1] - 1) / 2 + ")" : "")
                            + ", or pool less before this layer");
        }
        return Shape.of(x.dim(0), x.dim(1), Dim.of((hp - k[0]) / stride[0] + 1), Dim.of((wp - k[1]) / stride[1] + 1));
    }

    // ---------------------------------------------------------------- lowering

    /** A convolution plus (unless {@code bias = false}) the bias over each channel; conv1d through a height of 1. */
    private static Node conv(LowerContext c, boolean sequence) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0), w = c.param("W");
        Shape xs = x.shape();
        if (sequence) {
            x = b.reshape(x, Shape.of(xs.dim(0), xs.dim(1), Dim.ONE, xs.dim(2)));
            w = b.reshape(w, Shape.of(w.shape().dim(0), w.shape().dim(1), Dim.ONE, w.shape().dim(2)));
        }
        Node y = b.node(window(c, SpatialFn.CONV2D, x), x, w);
        if (Boolean.TRUE.equals(c.option("bias"))) {
            Node bias = c.param("b");
            // the bias [out] as [out, 1, 1], broadcast over batch, height and width
            y = b.add(y, b.reshape(bias, Shape.of(bias.shape().dim(0), Dim.ONE, Dim.ONE)));
        }
        return sequence ? b.reshape(y, Shape.of(y.shape().dim(0), y.shape().dim(1), y.shape().dim(3))) : y;
    }

    private static Node pool(LowerContext c, SpatialFn fn) {
        Node x = c.tensor(0);
        return c.builder().node(window(c, fn, x), x);
    }

    private static Op.Spatial window(LowerContext c, SpatialFn fn, Node x) {
        return new Op.Spatial(fn, c.intOption("kh"), c.intOption("kw"), c.intOption("sh"), c.intOption("sw"), c.intOption("ph"), c.intOption("pw"),
                orOne(c, "dh"), orOne(c, "dw"), orOne(c, "groups"), (int) x.shape().dim(2).size(), (int) x.shape().dim(3).size());
    }

    /** A recorded whole number, 1 when the call has none (pooling's dilation and groups). */
    private static int orOne(LowerContext c, String option) {
        return c.option(option) == null ? 1 : c.intOption(option);
    }
}

package nnc.builtins;

import static nnc.builtins.Builtin.layer;

import java.util.ArrayList;
import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.UnaryFn;
import nnc.runtime.Init;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Normalisation and dropout: {@code layer_norm}, {@code batch_norm}, {@code group_norm} and
 * {@code dropout}. Batch norm and dropout behave differently in training and inference, and keep
 * state named after their layer.
 */
final class NormBuiltins {
    private NormBuiltins() {}

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("dropout", "batch_norm", "group_norm", "layer_norm");

    static List<Builtin> all() {
        return List.of(
                layer("dropout", new Signature(List.of("x"), List.of("p"), List.of("p")), NormBuiltins::dropout, NormBuiltins::dropout),
                layer("batch_norm", new Signature(List.of("x"), List.of("eps", "momentum"), List.of()), NormBuiltins::batchNorm,
                        NormBuiltins::batchNorm),
                layer("group_norm", new Signature(List.of("x"), List.of("groups", "eps"), List.of("groups")), NormBuiltins::groupNorm,
                        NormBuiltins::groupNorm),
                layer("layer_norm", new Signature(List.of("x"), List.of("eps"), List.of()), NormBuiltins::layerNorm,
                        c -> layerNorm(c.builder(), c.tensor(0), c.param("gamma"), c.param("beta"), c.number("eps"))));
    }

    // ---------------------------------------------------------------- type rules

    /** β + γ·(x − mean)/sqrt(var + eps) over the last axis (biased variance, as torch.nn.LayerNorm); owns γ (ones) and β (zeros). */
    private static TensorType layerNorm(TypeContext c) {
        TensorType x = c.f32("x");
        if (x.rank() == 0 || !x.shape().last().isFixed())
            throw c.errorAt("x", "layer_norm normalises over the last axis, which must have a fixed size, but " + c.describe("x") + " is " + x, null);
        double eps = c.number("eps", 1e-5);
        if (!(eps > 0) || !Double.isFinite(eps)) throw c.errorAt("eps", "'eps' of layer_norm must be a positive number", null);
        c.record("eps", eps);
        Shape features = Shape.of(x.shape().last());
        c.createParam("gamma", TensorType.f32(features), new Init.Constant(1));
        c.createParam("beta", TensorType.f32(features), Init.ZEROS);
        return x;
    }

    /** Drops each element with probability p while training (scaling the rest by 1/(1−p)); the identity in evaluate and predict. */
    private static TensorType dropout(TypeContext c) {
        TensorType x = c.f32("x");
        double p = c.number("p", 0);
        if (!(p >= 0 && p < 1)) throw c.errorAt("p", "the drop probability p of dropout must be in [0, 1), got " + c.show(p), null);
        c.record("p", p);
        c.layerName();
        return x;
    }

    /**
     * torch.nn.BatchNorm1d over [batch, features] or [batch, C, L], BatchNorm2d over [batch, C, H, W]:
     * statistics per channel (axis 1); owns γ, β and running statistics (state).
     */
    private static TensorType batchNorm(TypeContext c) {
        TensorType x = c.f32("x");
        if (x.rank() < 2 || x.rank() > 4 || !x.shape().dim(0).equals(Dim.BATCH) || !x.shape().dim(1).isFixed())
            throw c.errorAt("x", "batch_norm normalises each channel over the batch (and its positions): it needs f32[batch, features], "
                    + "f32[batch, channels, length] or f32[batch, channels, height, width] with a fixed channel count, but "
                    + c.describe("x") + " is " + x, null);
        double eps = c.number("eps", 1e-5), momentum = c.number("momentum", 0.1);
        if (!(eps > 0) || !Double.isFinite(eps)) throw c.errorAt("eps", "'eps' of batch_norm must be a positive number", null);
        if (!(momentum >= 0 && momentum <= 1)) throw c.errorAt("momentum", "'momentum' of batch_norm must be in [0, 1]", null);
        c.record("eps", eps);
        c.record("momentum", momentum);
        Shape features = Shape.of(x.shape().dim(1));
        c.createParam("gamma", TensorType.f32(features), new Init.Constant(1));
        c.createParam("beta", TensorType.f32(features), Init.ZEROS);
        c.layerName();
        return x;
    }

    /** torch.nn.GroupNorm: [batch, C, ...] with C fixed and divisible by groups; owns γ (ones) and β (zeros) per channel. */
    private static TensorType groupNorm(TypeContext c) {
        TensorType x = c.f32("x");
        if (x.rank() < 2 || x.rank() > 4 || !x.shape().dim(0).equals(Dim.BATCH) || !allFixedAfterBatch(x.shape()))
            throw c.errorAt("x", "group_norm normalises groups of channels of each sample: it needs f32[batch, channels], "
                    + "f32[batch, channels, length] or f32[batch, channels, height, width] with fixed sizes after the batch, but "
                    + c.describe("x") + " is " + x, null);
        int groups = c.positiveInt("groups");
        long channels = ((Dim.Fixed) x.shape().dim(1)).size();
        if (channels % groups != 0)
            throw c.errorAt("groups", "group_norm splits the " + channels + " channels of " + c.describe("x") + " into " + groups
                    + " groups, but " + groups + " does not divide " + channels, null);
        double eps = c.number("eps", 1e-5);
        if (!(eps > 0) || !Double.isFinite(eps)) throw c.errorAt("eps", "'eps' of group_norm must be a positive number", null);
        c.record("eps", eps);
        Shape features = Shape.of(x.shape().dim(1));
        c.createParam("gamma", TensorType.f32(features), new Init.Constant(1));
        c.createParam("beta", TensorType.f32(features), Init.ZEROS);
        return x;
    }

    private static boolean allFixedAfterBatch(Shape s) {
        for (int axis = 1; axis < s.rank(); axis++) if (!s.dim(axis).isFixed()) return false;
        return true;
    }

    // ---------------------------------------------------------------- lowerings

    /** (x − μ)/sqrt(σ² + eps)·γ + β over the last axis, σ² the biased variance (torch.nn.LayerNorm). */
    static Node layerNorm(GraphBuilder b, Node x, Node gamma, Node beta, double eps) {
        List<Integer> last = ShapeBuiltins.lastAxis(x);
        Node centred = b.sub(x, b.mean(x, last, true));
        Node variance = b.mean(b.mul(centred, centred), last, true);
        Node normalised = b.div(centred, b.unary(UnaryFn.SQRT, b.add(variance, b.constant(eps))));
        return b.add(b.mul(normalised, gamma), beta);
    }

    /**
     * Training: x·keep/(1−p) with keep = hash(hash(index(x), step), seed + salt) ≥ p, a counter-based
     * draw from each element's position (never its value: equal values draw independently), the
     * layer's step counter (state {@code NAME.step}, +1 per step), its seed (state {@code NAME.seed},
     * drawn from the run's seed) and a salt from the layer's name. index(x) hashes the per-axis
     * indices together ({@code hash(hash(i0, i1), i2)…}), each exact in f32 (axes below 2^24 long),
     * rather than one flat index, which f32 would round beyond 2^24 elements. Inference: x.
     */
    private static Node dropout(LowerContext c) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0);
        double p = c.number("p");
        String layer = c.layerName();
        if (!c.training() || p == 0) return x;
        Node step = b.node(new Op.State(layer + ".step", TensorType.F32_SCALAR));
        c.updateState(layer + ".step", b.add(step, b.constant(1)));
        // a seed per run and layer: state drawn by ParamInit from the run's seed and the state's name
        Node seed = b.node(new Op.State(layer + ".seed", TensorType.F32_SCALAR, new Init.Uniform(0, 1 << 23)));
        Node u = b.binary(BinaryFn.HASH, b.binary(BinaryFn.HASH, elementKey(b, x.shape()), step), b.add(seed, b.constant(salt(layer))));
        Node keep = b.binary(BinaryFn.GE, u, b.constant(p));
        return b.mul(x, b.mul(keep, b.constant(1 / (1 - p))));
    }

    /** A value distinct per element of {@code shape} (up to hash collisions), from its indices alone. */
    private static Node elementKey(GraphBuilder b, Shape shape) {
        Node key = null;
        for (int axis = 0; axis < shape.rank(); axis++) {
            if (shape.dim(axis).isOne()) continue;
            Node i = b.node(new Op.Iota(shape, axis));
            key = key == null ? i : b.binary(BinaryFn.HASH, key, i);
        }
        return key == null ? b.constant(0) : key;
    }

    /** A float salt from a name (FNV-1a, 23 bits: exact in f32). */
    private static float salt(String name) {
        int h = 0x811c9dc5;
        for (char ch : name.toCharArray()) h = (h ^ ch) * 0x01000193;
        return h & 0x7fffff;
    }

    /**
     * torch.nn.BatchNorm1d/2d: statistics of each channel (axis 1) over every other axis. Training:
     * the batch mean and biased variance, and the running statistics updated as state: mean ←
     * (1−m)·mean + m·μ, var ← (1−m)·var + m·σ²·n/(n−1) with n the count per channel, where var reads
     * as 1 before the first update (torch starts it at ones; state starts at zero, so
     * {@code NAME.updates} counts the updates). Inference: the running statistics.
     */
    private static Node batchNorm(LowerContext c) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0);
        Shape view = channelView(x.shape());
        Node gamma = b.reshape(c.param("gamma"), view), beta = b.reshape(c.param("beta"), view);
        String layer = c.layerName();
        double eps = c.number("eps"), momentum = c.number("momentum");
        TensorType stats = c.param("gamma").type();
        Node runMean = b.node(new Op.State(layer + ".running_mean", stats));
        Node runVarStored = b.node(new Op.State(layer + ".running_var", stats));
        Node updates = b.node(new Op.State(layer + ".updates", TensorType.F32_SCALAR));
        Node runVar = b.where(b.binary(BinaryFn.GT, updates, b.constant(0)), runVarStored, b.constant(1));
        List<Integer> axes = new ArrayList<>(List.of(0));
        for (int axis = 2; axis < x.shape().rank(); axis++) axes.add(axis);
        Node mean, variance;
        if (c.training()) {
            mean = b.mean(x, axes, true);
            Node centred = b.sub(x, mean);
            variance = b.mean(b.mul(centred, centred), axes, true);
            Node n = b.count(x.shape(), axes);
            Node unbiased = b.div(b.mul(variance, n), b.sub(n, b.constant(1)));
            Node m = b.constant(momentum), keep = b.constant(1 - momentum);
            c.updateState(layer + ".running_mean", b.add(b.mul(keep, runMean), b.mul(m, b.reshape(mean, stats.shape()))));
            c.updateState(layer + ".running_var", b.add(b.mul(keep, runVar), b.mul(m, b.reshape(unbiased, stats.shape()))));
            c.updateState(layer + ".updates", b.add(updates, b.constant(1)));
        } else {
            mean = b.reshape(runMean, view);
            variance = b.reshape(runVar, view);
        }
        Node normalised = b.div(b.sub(x, mean), b.unary(UnaryFn.SQRT, b.add(variance, b.constant(eps))));
        return b.add(b.mul(normalised, gamma), beta);
    }

    /**
     * torch.nn.GroupNorm: x [batch, C, ...] viewed as [batch, G, C/G·rest], each group normalised with
     * its mean and biased variance, then γ·x̂ + β per channel.
     */
    private static Node groupNorm(LowerContext c) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0);
        Shape shape = x.shape();
        int groups = c.intOption("groups");
        long perGroup = 1;
        for (int axis = 1; axis < shape.rank(); axis++) perGroup *= ((Dim.Fixed) shape.dim(axis)).size();
        perGroup /= groups;
        Node grouped = b.reshape(x, Shape.of(shape.dim(0), Dim.of(groups), Dim.of(perGroup)));
        List<Integer> last = List.of(2);
        Node centred = b.sub(grouped, b.mean(grouped, last, true));
        Node variance = b.mean(b.mul(centred, centred), last, true);
        Node normalised = b.reshape(b.div(centred, b.unary(UnaryFn.SQRT, b.add(variance, b.constant(c.number("eps"))))), shape);
        Shape view = channelView(shape);
        return b.add(b.mul(normalised, b.reshape(c.param("gamma"), view)), b.reshape(c.param("beta"), view));
    }

    /**
     * [C] viewed so that it broadcasts along axis 1 of {@code x}: [C] for [batch, C], else at x's
     * rank ([1, C, 1, 1]), so that its gradient is one reduction over every other axis rather than
     * the batch axis first.
     */
    private static Shape channelView(Shape x) {
        if (x.rank() == 2) return Shape.of(x.dim(1));
        List<Dim> dims = new ArrayList<>(List.of(Dim.ONE, x.dim(1)));
        for (int axis = 2; axis < x.rank(); axis++) dims.add(Dim.ONE);
        return new Shape(dims);
    }
}

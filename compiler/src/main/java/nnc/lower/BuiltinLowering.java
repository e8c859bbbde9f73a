package nnc.lower;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import nnc.check.CheckedModel;
import nnc.check.CheckedModel.ResolvedCall;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.SpatialFn;
import nnc.ir.UnaryFn;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Shape;
import nnc.types.TensorType;

/** One lowering per builtin: layers, activations, reductions and losses as Graph IR primitives. */
final class BuiltinLowering {
    private final GraphBuilder b;
    private final Function<Ast.Expr, Node> lowerExpr;
    private final Map<String, Node> params;
    private final Lowering.Mode mode;
    private final Map<String, Node> stateUpdates;

    /**
     * @param params       every parameter of the model by name (declared and owned by layer calls)
     * @param stateUpdates receives the new values of state the forward pass keeps (training mode)
     */
    BuiltinLowering(GraphBuilder b, Function<Ast.Expr, Node> lowerExpr, Map<String, Node> params, Lowering.Mode mode,
                    Map<String, Node> stateUpdates) {
        this.b = b;
        this.lowerExpr = lowerExpr;
        this.params = params;
        this.mode = mode;
        this.stateUpdates = stateUpdates;
        this.attention = new AttentionLowering(b, this);
    }

    private final AttentionLowering attention;

    /** The value of call {@code c}, whose checked type is {@code type}. */
    Node lower(ResolvedCall c, TensorType type) {
        List<Node> t = c.tensors().stream().map(lowerExpr).toList();
        // elementwise functions exposed as builtins by their entries: sigmoid(x), max(a, b), ...
        Optional<UnaryFn> unary = UnaryFn.ofBuiltin(c.builtin());
        if (unary.isPresent()) return b.unary(unary.get(), t.get(0));
        Optional<BinaryFn> binary = BinaryFn.ofBuiltin(c.builtin());
        if (binary.isPresent()) return b.binary(binary.get(), t.get(0), t.get(1));
        return switch (c.builtin()) {
            case "identity" -> t.get(0);
            case "dropout" -> dropout(t.get(0), ((Number) c.options().get("p")).doubleValue(), (String) c.options().get(LAYER));
            case "batch_norm" -> batchNorm(t.get(0), param(c, "gamma"), param(c, "beta"), c);
            case "gelu" -> gelu(t.get(0));
            case "leaky_relu" -> {
                Node x = t.get(0);
                yield b.where(b.binary(BinaryFn.GT, x, b.constant(0)), x, b.mul(x, b.constant(((Number) c.options().get("alpha")).doubleValue())));
            }
            case "where" -> b.where(t.get(0), t.get(1), t.get(2));
            case "l1", "l2" -> penalty(c.builtin(), c.options().containsKey(CheckedModel.ALL_PARAMS)
                    ? c.params().values().stream().map(params::get).toList() : t);
            case "transpose" -> b.transpose(t.get(0), Op.Transpose.lastTwo(t.get(0).shape().rank()));
            case "flatten", "reshape" -> b.reshape(t.get(0), type.shape());
            case "zeros" -> b.broadcast(b.constant(0), type.shape());
            case "ones" -> b.broadcast(b.constant(1), type.shape());
            case "layer_norm" -> layerNorm(t.get(0), param(c, "gamma"), param(c, "beta"), ((Number) c.options().get("eps")).doubleValue());
            case "softmax" -> c.options().containsKey("mask") ? AttentionLowering.causalSoftmax(b, t.get(0)) : softmax(t.get(0));
            case "log_softmax" -> logSoftmax(t.get(0));
            case "sum" -> axis(c, t.get(0)) == null ? b.sumAll(t.get(0)) : b.sum(t.get(0), List.of(axis(c, t.get(0))), false);
            case "mean" -> axis(c, t.get(0)) == null ? b.meanAll(t.get(0)) : b.mean(t.get(0), List.of(axis(c, t.get(0))), false);
            case "dense" -> b.matmulLastAxis(t.get(0), param(c, "W"), false, param(c, "b"));
            // convolution and pooling
            case "conv2d" -> SpatialLowering.conv2d(b, t.get(0), param(c, "W"), param(c, "b"), c.options());
            case "max_pool2d" -> SpatialLowering.pool(b, SpatialFn.MAX_POOL2D, t.get(0), c.options());
            case "avg_pool2d" -> SpatialLowering.pool(b, SpatialFn.AVG_POOL2D, t.get(0), c.options());
            // ---- sequences
            case "embedding" -> embedding(t.get(0), param(c, "W"));
            case "last" -> last(t.get(0));
            case "rnn", "gru", "lstm" -> RecurrentLowering.lower(b, c, c.builtin(), t.get(0), param(c, "W"), param(c, "U"), param(c, "b"),
                    c.builtin().equals("gru") ? param(c, "bh") : null);
            // ---- end sequences
            // ---- attention
            case "split_heads" -> AttentionLowering.splitHeads(b, t.get(0), intOption(c, "heads"));
            case "merge_heads" -> AttentionLowering.mergeHeads(b, t.get(0));
            case "multi_head_attention" -> attention.multiHeadAttention(t.get(0), intOption(c, "heads"), (Boolean) c.options().get("causal"), "",
                    role -> param(c, role));
            case "transformer_block" -> attention.transformerBlock(t.get(0), intOption(c, "heads"), (Boolean) c.options().get("causal"),
                    role -> param(c, role));
            // ---- end attention
            case "mse" -> { Node d = b.sub(t.get(0), t.get(1)); yield b.meanAll(b.mul(d, d)); }
            case "mae" -> b.meanAll(b.unary(UnaryFn.ABS, b.sub(t.get(0), t.get(1))));
            case "bce" -> bce(t.get(0), t.get(1));
            case "bce_with_logits" -> bceWithLogits(t.get(0), t.get(1));
            case "cross_entropy" -> crossEntropy(t.get(0), t.get(1));
            case "nll" -> perRowMean(b.neg(b.sumAll(b.mul(t.get(0), oneHot(t.get(1), t.get(0))))), t.get(0));
            default -> throw new IllegalStateException("no lowering for builtin " + c.builtin());
        };
    }

    private static int intOption(ResolvedCall c, String option) { return ((Number) c.options().get(option)).intValue(); }

    private Node param(ResolvedCall c, String role) {
        String name = c.params().get(role);
        Node n = name == null ? null : params.get(name);
        if (n == null) throw new IllegalStateException(c.builtin() + " has no parameter " + role);
        return n;
    }

    private static Integer axis(ResolvedCall c, Node x) {
        Object a = c.options().get("axis");
        if (a == null) return null;
        int axis = ((Number) a).intValue();
        return axis < 0 ? axis + x.shape().rank() : axis;
    }

    /** The option recording the layer name of a stateful builtin ({@code h.dropout1}), which names its state. */
    static final String LAYER = CheckedModel.LAYER;

    /**
     * Training: x·keep/(1−p) with keep = hash(hash(index(x), step), seed + salt) ≥ p, a counter-based
     * draw from each element's position (never its value: equal values draw independently), the
     * layer's step counter (state {@code NAME.step}, +1 per step), its seed (state {@code NAME.seed},
     * drawn from the run's seed) and a salt from the layer's name. index(x) hashes the per-axis
     * indices together ({@code hash(hash(i0, i1), i2)…}), each exact in f32 (axes below 2^24 long),
     * rather than one flat index, which f32 would round beyond 2^24 elements. Inference: x.
     */
    private Node dropout(Node x, double p, String layer) {
        if (mode == Lowering.Mode.INFERENCE || p == 0) return x;
        Node step = b.node(new Op.State(layer + ".step", TensorType.F32_SCALAR));
        stateUpdates.put(layer + ".step", b.add(step, b.constant(1)));
        // a seed per run and layer: state drawn by ParamInit from the run's seed and the state's name
        Node seed = b.node(new Op.State(layer + ".seed", TensorType.F32_SCALAR, new Init.Uniform(0, 1 << 23)));
        Node u = b.binary(BinaryFn.HASH, b.binary(BinaryFn.HASH, elementKey(x.shape()), step), b.add(seed, b.constant(salt(layer))));
        Node keep = b.binary(BinaryFn.GE, u, b.constant(p));
        return b.mul(x, b.mul(keep, b.constant(1 / (1 - p))));
    }

    /**
     * {@code last(h)}, {@code [batch, time, d] → [batch, d]}: Σ_t h·(t == time − 1), one reduce kernel
     * whose mask is the loop index (an iota over h's shape), so its gradient, g broadcast over time
     * times the same mask, comes from the primitives' rules. (The time index is exact in f32 below 2^24.)
     */
    private Node last(Node h) {
        long time = h.shape().dim(1).size();
        Node isLast = b.binary(BinaryFn.EQ, b.node(new Op.Iota(h.shape(), 1)), b.constant(time - 1));
        return b.sum(b.mul(h, isLast), List.of(1), false);
    }

    /** A value distinct per element of {@code shape} (up to hash collisions), from its indices alone. */
    private Node elementKey(Shape shape) {
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
     * torch.nn.BatchNorm1d over axis 0 of [batch, features]. Training: batch mean and biased
     * variance, and the running statistics updated as state: mean ← (1−m)·mean + m·μ, var ← (1−m)·var
     * + m·σ²·n/(n−1), where var reads as 1 before the first update (torch starts it at ones; state
     * starts at zero, so {@code NAME.updates} counts the updates). Inference: the running statistics.
     */
    private Node batchNorm(Node x, Node gamma, Node beta, ResolvedCall c) {
        String layer = (String) c.options().get(LAYER);
        double eps = ((Number) c.options().get("eps")).doubleValue(), momentum = ((Number) c.options().get("momentum")).doubleValue();
        TensorType stats = gamma.type();
        Node runMean = b.node(new Op.State(layer + ".running_mean", stats));
        Node runVarStored = b.node(new Op.State(layer + ".running_var", stats));
        Node updates = b.node(new Op.State(layer + ".updates", TensorType.F32_SCALAR));
        Node runVar = b.where(b.binary(BinaryFn.GT, updates, b.constant(0)), runVarStored, b.constant(1));
        List<Integer> batchAxis = List.of(0);
        Node mean, variance;
        if (mode == Lowering.Mode.TRAIN) {
            mean = b.mean(x, batchAxis, true);
            Node centred = b.sub(x, mean);
            variance = b.mean(b.mul(centred, centred), batchAxis, true);
            Node n = b.count(x.shape(), batchAxis);
            Node unbiased = b.div(b.mul(variance, n), b.sub(n, b.constant(1)));
            Node m = b.constant(momentum), keep = b.constant(1 - momentum);
            stateUpdates.put(layer + ".running_mean", b.add(b.mul(keep, runMean), b.mul(m, b.reshape(mean, stats.shape()))));
            stateUpdates.put(layer + ".running_var", b.add(b.mul(keep, runVar), b.mul(m, b.reshape(unbiased, stats.shape()))));
            stateUpdates.put(layer + ".updates", b.add(updates, b.constant(1)));
        } else {
            mean = runMean;
            variance = runVar;
        }
        Node normalised = b.div(b.sub(x, mean), b.unary(UnaryFn.SQRT, b.add(variance, b.constant(eps))));
        return b.add(b.mul(normalised, gamma), beta);
    }

    /** 0.5·x·(1 + erf(x/√2)): PyTorch's default (exact) GELU. */
    Node gelu(Node x) {
        Node cdf = b.add(b.constant(1), b.unary(UnaryFn.ERF, b.mul(x, b.constant(1 / Math.sqrt(2)))));
        return b.mul(b.mul(x, b.constant(0.5)), cdf);
    }

    /** Σ|p| (l1) or Σp² (l2) over every element of every tensor. */
    private Node penalty(String kind, List<Node> tensors) {
        Node total = null;
        for (Node p : tensors) {
            Node term = b.sumAll(kind.equals("l1") ? b.unary(UnaryFn.ABS, p) : b.mul(p, p));
            total = total == null ? term : b.add(total, term);
        }
        return total == null ? b.constant(0) : total;
    }

    /** (x − μ)/sqrt(σ² + eps)·γ + β over the last axis, σ² the biased variance (torch.nn.LayerNorm). */
    Node layerNorm(Node x, Node gamma, Node beta, double eps) {
        List<Integer> last = Lowering.lastAxis(x);
        Node centred = b.sub(x, b.mean(x, last, true));
        Node variance = b.mean(b.mul(centred, centred), last, true);
        Node normalised = b.div(centred, b.unary(UnaryFn.SQRT, b.add(variance, b.constant(eps))));
        return b.add(b.mul(normalised, gamma), beta);
    }

    /** max over the last axis, kept: the shift that keeps exp from overflowing. */
    private Node rowMax(Node x) { return b.shiftMax(x, Lowering.lastAxis(x)); }

    Node softmax(Node x) {
        Node e = b.unary(UnaryFn.EXP, b.sub(x, rowMax(x)));
        return b.div(e, b.sum(e, Lowering.lastAxis(e), true));
    }

    private Node logSoftmax(Node x) {
        Node shifted = b.sub(x, rowMax(x));
        return b.sub(shifted, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, shifted), Lowering.lastAxis(x), true)));
    }

    /** −mean(y·log p + (1−y)·log(1−p)), each log clamped at −100 as PyTorch does. */
    private Node bce(Node p, Node y) {
        Node floor = b.constant(-100);
        Node one = b.constant(1);
        Node logP = b.binary(BinaryFn.MAX, b.unary(UnaryFn.LOG, p), floor);
        Node log1mP = b.binary(BinaryFn.MAX, b.unary(UnaryFn.LOG, b.sub(one, p)), floor);
        return b.neg(b.meanAll(b.add(b.mul(y, logP), b.mul(b.sub(one, y), log1mP))));
    }

    /** mean(softplus(z) − z·y): stable for any z, and smooth at z = 0 (its derivative is σ(z) − y). */
    private Node bceWithLogits(Node z, Node y) {
        return b.meanAll(b.sub(b.unary(UnaryFn.SOFTPLUS, z), b.mul(z, y)));
    }

    /** Class indices: mean over rows of logsumexp(z) − z[y]. Probabilities/one-hot: −Σ y·log_softmax(z) / rows. */
    private Node crossEntropy(Node z, Node y) {
        if (y.type().dtype() == DType.I32) {
            Node m = rowMax(z);
            Node lse = b.add(m, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, b.sub(z, m)), Lowering.lastAxis(z), true)));
            Node picked = b.sum(b.mul(z, oneHot(y, z)), Lowering.lastAxis(z), true);
            return perRowMean(b.sumAll(b.sub(lse, picked)), z);
        }
        return perRowMean(b.neg(b.sumAll(b.mul(y, logSoftmax(z)))), z);
    }

    /**
     * Rows of W [vocab, dim] picked by i32 token ids [..]: {@code gather(W, tokens)}, a copy of each
     * row (fused into its consumers' loops), whose gradient is the scatter-add of g's rows into a zero
     * [vocab, dim] in a fixed order. A token outside 0..vocab-1 stops the step with an error naming it.
     */
    private Node embedding(Node tokens, Node w) {
        return b.gather(w, tokens);
    }

    private Node oneHot(Node indices, Node like) {
        return b.node(new Op.OneHot(like.shape().last().size()), indices);
    }

    /**
     * A total over all rows divided by the number of rows: every axis of {@code like} but the last
     * ({@code batch}, or {@code batch × time} for many-to-many logits, as PyTorch on flattened inputs).
     */
    private Node perRowMean(Node total, Node like) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < like.shape().rank() - 1; i++) rows.add(i);
        return b.div(total, b.count(like.shape(), rows));
    }
}

package nnc.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.ShapeRules;
import nnc.types.Size;
import nnc.types.TensorType;

/**
 * The builtin functions of the language: each with its signature (tensor arguments, then options)
 * and one type rule. The rule checks the arguments, creates the parameters a layer owns, and
 * returns the type of the result.
 */
final class Builtins {
    private Builtins() {}

    /**
     * @param tensors  tensor arguments, in order
     * @param options  constant arguments after them (numbers or names), in order
     * @param required the options that must be given
     */
    record Signature(List<String> tensors, List<String> options, List<String> required) {
        List<String> slots() {
            List<String> all = new ArrayList<>(tensors);
            all.addAll(options);
            return all;
        }

        String usage(String name) {
            if (name.equals("reshape")) return "reshape(x, d0, d1, ...) with at most " + MAX_RESHAPE_DIMS + " dimensions";
            List<String> parts = new ArrayList<>(tensors);
            for (String o : options) parts.add(required.contains(o) ? o : o + " = ...");
            return name + "(" + String.join(", ", parts) + ")";
        }
    }

    interface Rule {
        TensorType apply(CallSite c);
    }

    record Builtin(String name, Signature signature, Rule rule, boolean createsParams) {}

    private static final Map<String, Builtin> ALL = new LinkedHashMap<>();

    /** Names from the language's vocabulary that are planned but not implemented: "not supported yet". */
    static final Set<String> PLANNED = Set.of("embedding");

    /** The most dimensions {@code reshape} takes. */
    static final int MAX_RESHAPE_DIMS = 8;

    static {
        // the elementwise functions exposed as builtins (sigmoid, tanh, relu, ...) come from their entries
        for (UnaryFn f : UnaryFn.values()) f.builtin().ifPresent(name -> add(name, tensors("x"), Builtins::elementwise));
        for (String f : List.of("gelu", "identity")) add(f, tensors("x"), Builtins::elementwise);
        add("leaky_relu", new Signature(List.of("x"), List.of("alpha"), List.of()), Builtins::leakyRelu);
        for (BinaryFn f : BinaryFn.values()) f.builtin().ifPresent(name -> add(name, tensors("a", "b"), Builtins::broadcasting));
        add("where", tensors("cond", "a", "b"), Builtins::broadcasting);
        for (String f : List.of("l1", "l2")) add(f, tensors("x"), Builtins::penalty);
        add("transpose", tensors("x"), Builtins::transpose);
        add("flatten", tensors("x"), Builtins::flatten);
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < MAX_RESHAPE_DIMS; i++) dims.add("d" + i);
        add("reshape", new Signature(List.of("x"), dims, List.of("d0")), Builtins::reshape);
        for (String f : List.of("zeros", "ones")) add(f, new Signature(List.of(), dims, List.of("d0")), Builtins::filled);
        ALL.put("dropout", new Builtin("dropout", new Signature(List.of("x"), List.of("p"), List.of("p")), Builtins::dropout, true));
        ALL.put("batch_norm", new Builtin("batch_norm", new Signature(List.of("x"), List.of("eps", "momentum"), List.of()), Builtins::batchNorm, true));
        ALL.put("layer_norm", new Builtin("layer_norm", new Signature(List.of("x"), List.of("eps"), List.of()), Builtins::layerNorm, true));
        add("softmax", new Signature(List.of("x"), List.of("mask"), List.of()), AttentionBuiltins::softmax);
        add("log_softmax", tensors("x"), Builtins::overLastAxis);
        // ---- attention (AttentionBuiltins)
        add("split_heads", new Signature(List.of("x"), List.of("heads"), List.of("heads")), AttentionBuiltins::splitHeads);
        add("merge_heads", tensors("x"), AttentionBuiltins::mergeHeads);
        ALL.put("multi_head_attention", new Builtin("multi_head_attention", new Signature(List.of("x"), List.of("heads", "causal"),
                List.of("heads")), AttentionBuiltins::multiHeadAttention, true));
        ALL.put("transformer_block", new Builtin("transformer_block", new Signature(List.of("x"), List.of("heads", "hidden", "causal"),
                List.of("heads", "hidden")), AttentionBuiltins::transformerBlock, true));
        // ---- end attention
        for (String f : List.of("sum", "mean"))
            add(f, new Signature(List.of("x"), List.of("axis"), List.of()), Builtins::reduction);
        ALL.put("dense", new Builtin("dense", new Signature(List.of("x"), List.of("units"), List.of("units")), Builtins::dense, true));
        // convolution and pooling (SpatialBuiltins)
        ALL.put("conv2d", new Builtin("conv2d", new Signature(List.of("x"), List.of("out_channels", "kernel", "stride", "padding"),
                List.of("out_channels", "kernel")), SpatialBuiltins::conv2d, true));
        for (String f : List.of("max_pool2d", "avg_pool2d"))
            add(f, new Signature(List.of("x"), List.of("kernel", "stride"), List.of("kernel")), SpatialBuiltins::pool);
        // ---- sequences
        ALL.put("embedding", new Builtin("embedding", new Signature(List.of("tokens"), List.of("vocab", "dim"), List.of("vocab", "dim")),
                Builtins::embedding, true));
        add("last", tensors("h"), Builtins::last);
        for (String f : List.of("rnn", "gru", "lstm"))
            ALL.put(f, new Builtin(f, new Signature(List.of("x"), List.of("units"), List.of("units")), Builtins::recurrent, true));
        // ---- end sequences
        for (String f : List.of("mse", "mae", "bce")) add(f, tensors("p", "y"), Builtins::sameShapeLoss);
        add("bce_with_logits", tensors("z", "y"), Builtins::sameShapeLoss);
        add("cross_entropy", tensors("logits", "y"), Builtins::crossEntropy);
        add("nll", tensors("logp", "y"), Builtins::nll);
    }

    private static Signature tensors(String... names) { return new Signature(List.of(names), List.of(), List.of()); }

    private static void add(String name, Signature sig, Rule rule) { ALL.put(name, new Builtin(name, sig, rule, false)); }

    static Optional<Builtin> lookup(String name) { return Optional.ofNullable(ALL.get(name)); }

    static Set<String> names() { return ALL.keySet(); }

    // ---------------------------------------------------------------- type rules

    private static TensorType elementwise(CallSite c) { return c.f32("x"); }

    private static TensorType leakyRelu(CallSite c) {
        TensorType x = c.f32("x");
        double alpha = c.number("alpha", 0.01);
        if (!Double.isFinite(alpha)) throw c.errorAt("alpha", "'alpha' of leaky_relu must be finite", null);
        c.record("alpha", alpha);
        return x;
    }

    /** Elementwise functions of several tensors, broadcast together as by the arithmetic operators. */
    private static TensorType broadcasting(CallSite c) {
        List<String> args = c.signatureTensors();
        Shape s = c.f32(args.get(0)).shape();
        for (String a : args.subList(1, args.size())) {
            Shape next = c.f32(a).shape();
            try {
                s = ShapeRules.broadcast(s, next);
            } catch (ShapeError e) {
                throw c.errorAt(a, c.name() + " broadcasts its arguments, but " + TensorType.f32(s) + " and " + TensorType.f32(next)
                        + " do not fit together", "shapes are aligned at the last axis, and each pair of dimensions must be equal or 1");
            }
        }
        return TensorType.f32(s);
    }

    /** l1: the sum of absolute values; l2: the sum of squares (PyTorch's {@code sum(p ** 2)}, no ½). */
    private static TensorType penalty(CallSite c) {
        c.f32("x");
        return TensorType.F32_SCALAR;
    }

    private static TensorType transpose(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() < 2)
            throw c.errorAt("x", "transpose swaps the last two axes, but " + c.describe("x") + " is " + x,
                    x.rank() == 1 ? "a vector has one axis; reshape it to a matrix first: reshape(v, n, 1)" : "a scalar has no axes");
        int r = x.rank();
        return x.withShape(x.shape().with(r - 2, x.shape().dim(r - 1)).with(r - 1, x.shape().dim(r - 2)));
    }

    private static TensorType flatten(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() < 2) throw c.errorAt("x", "flatten keeps the first axis and joins the others, but " + c.describe("x") + " is " + x, null);
        long n = 1;
        for (Dim d : x.shape().dims().subList(1, x.rank())) {
            if (!d.isFixed()) throw c.errorAt("x", "flatten needs fixed sizes after the first axis, but " + c.describe("x") + " is " + x, null);
            n = Math.multiplyExact(n, d.size());
        }
        return x.withShape(Shape.of(x.shape().dim(0), Dim.of(n)));
    }

    /** {@code reshape(x, d0, d1, ...)}: whole numbers, {@code batch} first, or one {@code -1} worked out from the rest. */
    private static TensorType reshape(CallSite c) {
        TensorType x = c.f32("x");
        List<Dim> dims = new ArrayList<>();
        int inferred = -1;
        for (int i = 0; i < MAX_RESHAPE_DIMS && c.has("d" + i); i++) {
            String slot = "d" + i;
            Object v = c.option(slot);
            if (v instanceof Double d && d == -1 && inferred < 0) {
                inferred = i;
                dims.add(Dim.ONE);
            } else {
                dims.add(dimension(c, i, "or one -1"));
            }
        }
        for (int i = dims.size(); i < MAX_RESHAPE_DIMS; i++)
            if (c.has("d" + i)) throw c.errorAt("d" + i, "reshape's dimensions are given in order d0, d1, ...", null);
        Size want = x.shape().numel(), have = new Shape(dims).numel();
        if (inferred >= 0) {
            if (!want.symbols().equals(have.symbols()) || want.constant() % have.constant() != 0)
                throw c.error("cannot reshape " + x + " into " + describeDims(dims, inferred) + ": the -1 cannot be worked out",
                        "the other dimensions must divide the " + want + " elements");
            dims.set(inferred, Dim.of(want.constant() / have.constant()));
            have = new Shape(dims).numel();
        }
        if (!want.equals(have))
            throw c.error("cannot reshape " + x + " (" + want + " elements) into " + TensorType.f32(new Shape(dims)) + " (" + have + " elements)",
                    x.rank() >= 2 && x.shape().dim(0).equals(Dim.BATCH) && !dims.contains(Dim.BATCH)
                            ? "keep the batch axis: reshape(x, batch, ...), or use flatten(x)" : "the element counts must be equal");
        return x.withShape(new Shape(dims));
    }

    /** {@code zeros(batch, 64)}, {@code ones(3, 4)}: a tensor of that shape filled with 0 or 1. */
    private static TensorType filled(CallSite c) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < MAX_RESHAPE_DIMS && c.has("d" + i); i++) dims.add(dimension(c, i, ""));
        return TensorType.f32(new Shape(dims));
    }

    /** Option {@code d<i>} as a dimension: a whole number of at least 1, or {@code batch} first. */
    private static Dim dimension(CallSite c, int i, String orElse) {
        String slot = "d" + i;
        Object v = c.option(slot);
        if ("batch".equals(v)) {
            if (i != 0) throw c.errorAt(slot, "'batch' can only be the first dimension", "write it first: " + c.name() + "(" + (c.name().equals("reshape") ? "x, " : "") + "batch, ...)");
            return Dim.BATCH;
        }
        if (v instanceof Double d && d == Math.rint(d) && d >= 1 && d <= Integer.MAX_VALUE) return Dim.of((long) (double) d);
        throw c.errorAt(slot, "a dimension of " + c.name() + " is a whole number of at least 1, 'batch'" + (orElse.isEmpty() ? "" : ", " + orElse) + ", got "
                + (v instanceof Double d ? ConstEval.show(d) : "'" + v + "'"), null);
    }

    private static String describeDims(List<Dim> dims, int inferred) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) parts.add(i == inferred ? "-1" : dims.get(i).toString());
        return "[" + String.join(",", parts) + "]";
    }

    /** β + γ·(x − mean)/sqrt(var + eps) over the last axis (biased variance, as torch.nn.LayerNorm); owns γ (ones) and β (zeros). */
    private static TensorType layerNorm(CallSite c) {
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
    private static TensorType dropout(CallSite c) {
        TensorType x = c.f32("x");
        double p = c.number("p", 0);
        if (!(p >= 0 && p < 1)) throw c.errorAt("p", "the drop probability p of dropout must be in [0, 1), got " + ConstEval.show(p), null);
        c.record("p", p);
        c.layerName();
        return x;
    }

    /** torch.nn.BatchNorm1d over the batch axis of [batch, features]; owns γ, β and running statistics (state). */
    private static TensorType batchNorm(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() != 2 || !x.shape().dim(0).equals(Dim.BATCH) || !x.shape().dim(1).isFixed())
            throw c.errorAt("x", "batch_norm normalises each feature over the batch: it needs f32[batch, features], but " + c.describe("x") + " is " + x, null);
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

    private static TensorType overLastAxis(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() == 0) throw c.errorAt("x", c.name() + " works over the last axis, but " + c.describe("x") + " is a scalar f32[]", null);
        return x;
    }

    private static TensorType reduction(CallSite c) {
        TensorType x = c.f32("x");
        if (!c.has("axis")) return TensorType.F32_SCALAR;
        int axis = c.axis("axis", x.rank());
        return x.withShape(ShapeRules.reduce(x.shape(), List.of(axis), false));
    }

    /**
     * i32 token ids [..] → f32 rows [.., dim] of the owned table W: f32[vocab, dim], normal(0, 1) as
     * torch.nn.Embedding.
     */
    private static TensorType embedding(CallSite c) {
        TensorType tokens = c.type("tokens");
        if (tokens.dtype() != DType.I32)
            throw c.errorAt("tokens", "embedding needs i32 token ids, but " + c.describe("tokens") + " is " + tokens,
                    "declare the tokens as i32[batch, time]");
        int vocab = c.positiveInt("vocab"), dim = c.positiveInt("dim");
        c.createParam("W", TensorType.f32(Shape.of(vocab, dim)), new Init.Normal(0, 1));
        return TensorType.f32(tokens.shape().append(Dim.of(dim)));
    }

    /** {@code last(h)}: the last time step of a sequence, {@code [batch, time, d] → [batch, d]}. */
    private static TensorType last(CallSite c) {
        TensorType h = c.f32("h");
        if (h.rank() != 3 || !h.shape().dim(1).isFixed())
            throw c.errorAt("h", "last takes the last time step of a sequence f32[batch, time, features], but " + c.describe("h") + " is " + h,
                    h.rank() == 2 ? "it has no time axis: apply last to the [batch, time, features] sequence, before its time axis is reduced"
                            : "a sequence has three axes: batch, time, features");
        return TensorType.f32(Shape.of(h.shape().dim(0), h.shape().dim(2)));
    }

    private static TensorType dense(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() < 2 || x.rank() > 3)
            throw c.errorAt("x", "dense needs a matrix input f32[batch, features] (or a sequence f32[batch, time, features]), but " + c.describe("x") + " is " + x,
                    x.rank() < 2 ? "give it a batch axis: f32[batch, n]"
                            : "flatten it first: dense(flatten(" + (c.arg("x") instanceof Ast.NameRef n ? n.name() : "...") + "), "
                            + (c.option("units") instanceof Double u ? ConstEval.show(u) : "n") + ")");
        int units = c.positiveInt("units");
        Dim in = x.shape().last();
        if (!in.isFixed()) throw c.errorAt("x", "dense needs a fixed number of input features, but " + c.describe("x") + " is " + x, null);
        c.createParam("W", TensorType.f32(Shape.of(in, Dim.of(units))), new Init.Xavier());
        c.createParam("b", TensorType.f32(Shape.of(units)), Init.ZEROS);
        return TensorType.f32(x.shape().with(x.rank() - 1, Dim.of(units))); // the last axis, as torch.nn.Linear
    }

    /**
     * {@code rnn(x, units)}, {@code gru(x, units)}, {@code lstm(x, units)} over a sequence
     * {@code [batch, time, d]}: the hidden state at every step, {@code [batch, time, units]}. Each owns
     * {@code W [d, G·units]} (input weights), {@code U [units, G·units]} (recurrent weights) and
     * {@code b [G·units]}, with G = 1, 3, 4 gates in PyTorch's order (GRU: r, z, n; LSTM: i, f, g, o);
     * GRU also owns {@code bh [3·units]}, the recurrent bias inside its reset gate.
     */
    private static TensorType recurrent(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() != 3 || !x.shape().dim(0).equals(Dim.BATCH))
            throw c.errorAt("x", c.name() + " runs over a sequence f32[batch, time, features], but " + c.describe("x") + " is " + x,
                    x.rank() == 2 && x.shape().dim(0).equals(Dim.BATCH) ? "a [batch, features] input has no time axis; for token ids use embedding(tokens, vocab = V, dim = D)" : null);
        int units = c.positiveInt("units");
        Dim in = x.shape().last();
        if (!in.isFixed()) throw c.errorAt("x", c.name() + " needs a fixed number of input features, but " + c.describe("x") + " is " + x, null);
        int gates = switch (c.name()) {
            case "gru" -> 3;
            case "lstm" -> 4;
            default -> 1;
        };
        Dim width = Dim.of((long) gates * units);
        c.createParam("W", TensorType.f32(Shape.of(in, width)), new Init.Xavier());
        c.createParam("U", TensorType.f32(Shape.of(Dim.of(units), width)), new Init.Orthogonal());
        c.createParam("b", TensorType.f32(Shape.of(width)), Init.ZEROS);
        if (gates == 3) c.createParam("bh", TensorType.f32(Shape.of(width)), Init.ZEROS);
        return TensorType.f32(x.shape().with(2, Dim.of(units)));
    }

    private static TensorType sameShapeLoss(CallSite c) {
        List<String> args = c.signatureTensors();
        TensorType p = c.f32(args.get(0)), y = c.f32(args.get(1));
        if (!p.shape().equals(y.shape()))
            throw c.error(c.name() + " needs two tensors of the same shape, got " + p + " and " + y,
                    "the prediction and the target must match element for element");
        return TensorType.F32_SCALAR;
    }

    private static TensorType crossEntropy(CallSite c) {
        TensorType z = c.f32("logits"), y = c.type("y");
        if (z.rank() < 2)
            throw c.errorAt("logits", "cross_entropy needs logits f32[batch, classes] or f32[batch, time, classes], but "
                    + c.describe("logits") + " is " + z, null);
        if (z.shape().last().isOne())
            throw c.errorAt("logits", "cross_entropy over 1 class is always 0: " + c.describe("logits") + " is " + z
                    + ", so softmax gives every row probability 1 and nothing trains",
                    "for two classes with one logit use bce_with_logits; else give the logits one column per class");
        Shape rows = z.shape().without(List.of(z.rank() - 1));
        boolean indices = y.dtype() == DType.I32 && y.shape().equals(rows);
        boolean oneHot = y.dtype() == DType.F32 && y.shape().equals(z.shape());
        if (!indices && !oneHot)
            throw c.errorAt("y", "cross_entropy needs class indices i32" + rows + " or one-hot targets "
                    + z + " for logits " + z + ", but " + c.describe("y") + " is " + y,
                    y.dtype() == DType.F32 && z.shape().last().isOne() ? "for two classes with one logit use bce_with_logits" : null);
        return TensorType.F32_SCALAR;
    }

    private static TensorType nll(CallSite c) {
        TensorType logp = c.f32("logp"), y = c.type("y");
        if (logp.rank() != 2)
            throw c.errorAt("logp", "nll needs log-probabilities f32[batch, classes], but " + c.describe("logp") + " is " + logp, null);
        if (y.dtype() != DType.I32 || y.rank() != 1 || !y.shape().dim(0).equals(logp.shape().dim(0)))
            throw c.errorAt("y", "nll needs class indices i32[" + logp.shape().dim(0) + "], but " + c.describe("y") + " is " + y, null);
        return TensorType.F32_SCALAR;
    }
}

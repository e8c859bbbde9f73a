package nnc.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeRules;
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
    static final Set<String> PLANNED = Set.of("leaky_relu", "gelu", "softplus", "identity", "max", "min", "pow", "where",
            "l1", "l2", "dropout", "batch_norm", "layer_norm", "conv2d", "max_pool2d", "avg_pool2d", "flatten", "embedding",
            "lstm", "gru", "rnn", "last", "transpose", "split_heads", "merge_heads", "zeros", "ones",
            "multi_head_attention", "transformer_block");

    static {
        for (String f : List.of("sigmoid", "tanh", "relu", "exp", "log", "sqrt", "abs"))
            add(f, tensors("x"), Builtins::elementwise);
        for (String f : List.of("softmax", "log_softmax")) add(f, tensors("x"), Builtins::overLastAxis);
        for (String f : List.of("sum", "mean"))
            add(f, new Signature(List.of("x"), List.of("axis"), List.of()), Builtins::reduction);
        ALL.put("dense", new Builtin("dense", new Signature(List.of("x"), List.of("units"), List.of("units")), Builtins::dense, true));
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

    private static TensorType dense(CallSite c) {
        TensorType x = c.f32("x");
        if (x.rank() != 2)
            throw c.errorAt("x", "dense needs a matrix input f32[batch, features], but " + c.describe("x") + " is " + x,
                    x.rank() < 2 ? "give it a batch axis: f32[batch, n]" : null);
        int units = c.positiveInt("units");
        Dim in = x.shape().dim(1);
        if (!in.isFixed()) throw c.errorAt("x", "dense needs a fixed number of input features, but " + c.describe("x") + " is " + x, null);
        c.createParam("W", TensorType.f32(Shape.of(in, Dim.of(units))), new Init.Xavier());
        c.createParam("b", TensorType.f32(Shape.of(units)), Init.ZEROS);
        return TensorType.f32(Shape.of(x.shape().dim(0), Dim.of(units)));
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
        if (z.rank() != 2)
            throw c.errorAt("logits", "cross_entropy needs logits f32[batch, classes], but " + c.describe("logits") + " is " + z, null);
        boolean indices = y.dtype() == DType.I32 && y.rank() == 1 && y.shape().dim(0).equals(z.shape().dim(0));
        boolean oneHot = y.dtype() == DType.F32 && y.shape().equals(z.shape());
        if (!indices && !oneHot)
            throw c.errorAt("y", "cross_entropy needs class indices i32[" + z.shape().dim(0) + "] or one-hot targets "
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

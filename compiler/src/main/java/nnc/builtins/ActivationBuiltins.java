package nnc.builtins;

import static nnc.builtins.Builtin.function;

import java.util.List;
import java.util.Set;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.UnaryFn;
import nnc.types.TensorType;

/**
 * Activations with options, composed of elementwise primitives exactly as PyTorch defines them:
 * {@code clamp}, {@code hardtanh}, {@code elu}, {@code selu}, {@code mish}, {@code gelu} (exact or
 * {@code approximate = tanh}), {@code softplus(beta, threshold)}, {@code swish} (silu) and
 * {@code rsqrt}. Each has the value and the derivative of its {@code torch.nn.functional} namesake,
 * edges included (clamp passes g at its bounds, hardtanh does not).
 */
final class ActivationBuiltins {
    private ActivationBuiltins() {}

    /** SELU's constants (Klambauer et al.), as PyTorch writes them. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717, SELU_SCALE = 1.0507009873554804934193349852946;
    /** √(2/π) and the cubic coefficient of the tanh approximation of GELU. */
    static final double GELU_BETA = Math.sqrt(2 / Math.PI), GELU_KAPPA = 0.044715;

    /** Builtins of {@link UnaryFn}s that this family declares itself, with options. */
    static final Set<String> WITH_OPTIONS = Set.of("softplus");

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("swish", "rsqrt", "clamp", "hardtanh", "elu", "selu", "mish", "gelu", "softplus");

    static List<Builtin> all() {
        return List.of(
                function("swish", Signature.tensors("x"), ActivationBuiltins::plain, c -> c.builder().unary(UnaryFn.SILU, c.tensor(0))),
                function("rsqrt", Signature.tensors("x"), ActivationBuiltins::plain,
                        c -> c.builder().div(c.builder().constant(1), c.builder().unary(UnaryFn.SQRT, c.tensor(0)))),
                function("clamp", options("min", "max"), ActivationBuiltins::clamp, c -> clamp(c.builder(), c.tensor(0),
                        (Double) c.option("min"), (Double) c.option("max"))),
                function("hardtanh", options("min_val", "max_val"), ActivationBuiltins::hardtanh,
                        c -> hardtanh(c.builder(), c.tensor(0), c.number("min_val"), c.number("max_val"))),
                function("elu", options("alpha"), c -> {
                    c.record("alpha", c.number("alpha", 1.0));
                    return plain(c);
                }, c -> elu(c.builder(), c.tensor(0), 1, c.number("alpha"))),
                function("selu", Signature.tensors("x"), ActivationBuiltins::plain,
                        c -> elu(c.builder(), c.tensor(0), (float) SELU_SCALE, (float) SELU_ALPHA * (float) SELU_SCALE)),
                function("mish", Signature.tensors("x"), ActivationBuiltins::plain, c -> {
                    GraphBuilder b = c.builder();
                    Node x = c.tensor(0);
                    return b.mul(x, b.unary(UnaryFn.TANH, b.unary(UnaryFn.SOFTPLUS, x)));
                }),
                function("gelu", options("approximate"), ActivationBuiltins::gelu,
                        c -> "tanh".equals(c.option("approximate")) ? geluTanh(c.builder(), c.tensor(0)) : ElementwiseBuiltins.gelu(c.builder(), c.tensor(0))),
                function("softplus", options("beta", "threshold"), ActivationBuiltins::softplus, c -> c.has("beta") || c.has("threshold")
                        ? softplus(c.builder(), c.tensor(0), c.number("beta"), c.number("threshold"))
                        : c.builder().unary(UnaryFn.SOFTPLUS, c.tensor(0))));
    }

    private static Signature options(String... options) { return new Signature(List.of("x"), List.of(options), List.of()); }

    // ---------------------------------------------------------------- type rules

    private static TensorType plain(TypeContext c) { return c.f32("x"); }

    private static TensorType clamp(TypeContext c) {
        TensorType x = c.f32("x");
        if (!c.has("min") && !c.has("max"))
            throw c.error("clamp needs a bound: min, max or both", "clamp(x, min = 0, max = 6)");
        double lo = c.number("min", Double.NEGATIVE_INFINITY), hi = c.number("max", Double.POSITIVE_INFINITY);
        if (lo > hi)
            throw c.errorAt("max", "clamp's max " + c.show(hi) + " is below its min " + c.show(lo) + ", so every value would be " + c.show(hi),
                    "give min ≤ max");
        return x;
    }

    private static TensorType hardtanh(TypeContext c) {
        TensorType x = c.f32("x");
        double lo = c.number("min_val", -1), hi = c.number("max_val", 1);
        if (lo > hi) {
            boolean both = c.has("min_val") && c.has("max_val");
            throw c.has("max_val")
                    ? c.errorAt("max_val", "hardtanh's max_val " + c.show(hi) + " is below its min_val " + c.show(lo) + (both ? "" : " (the default)"),
                            "give min_val ≤ max_val")
                    : c.errorAt("min_val", "hardtanh's min_val " + c.show(lo) + " is above its max_val " + c.show(hi) + " (the default)",
                            "give min_val ≤ max_val");
        }
        c.record("min_val", lo);
        c.record("max_val", hi);
        return x;
    }

    private static TensorType gelu(TypeContext c) {
        TensorType x = c.f32("x");
        Object a = c.option("approximate");
        if (a != null && !"none".equals(a) && !"tanh".equals(a))
            throw c.errorAt("approximate", "'approximate' of gelu is none or tanh, got " + c.show(a), "gelu(x, approximate = tanh)");
        return x;
    }

    private static TensorType softplus(TypeContext c) {
        TensorType x = c.f32("x");
        double beta = c.number("beta", 1), threshold = c.number("threshold", 20);
        if (!(beta > 0)) throw c.errorAt("beta", "'beta' of softplus must be above 0, got " + c.show(beta), null);
        if (c.has("beta") || c.has("threshold")) {
            c.record("beta", beta);
            c.record("threshold", threshold);
        }
        return x;
    }

    // ---------------------------------------------------------------- lowerings

    /** min(max(x, lo), hi), as torch.clamp: g where lo ≤ x ≤ hi (bounds included), else 0. */
    private static Node clamp(GraphBuilder b, Node x, Double lo, Double hi) {
        Node y = x;
        if (lo != null) y = b.binary(BinaryFn.MAX, y, b.constant(lo));
        if (hi != null) y = b.binary(BinaryFn.MIN, y, b.constant(hi));
        return y;
    }

    /** The value of clamp, but as torch's hardtanh_backward the gradient is 0 at the bounds: g only where lo &lt; x &lt; hi. */
    private static Node hardtanh(GraphBuilder b, Node x, double lo, double hi) {
        Node low = b.constant(lo), high = b.constant(hi);
        return b.where(b.binary(BinaryFn.GE, low, x), low, b.where(b.binary(BinaryFn.GE, x, high), high, x));
    }

    /**
     * x·scale where x &gt; 0, else negative·expm1(x) (PyTorch's elu kernel; selu is scale = λ, negative =
     * α·λ in f32). expm1 reads min(x, 0), so the unselected side never overflows into an ∞·0 in the
     * backward pass; at x = 0 the gradient is negative·g, as PyTorch's (x ≤ 0 is the exponential side).
     */
    private static Node elu(GraphBuilder b, Node x, double scale, double negative) {
        Node positive = scale == 1 ? x : b.mul(x, b.constant(scale));
        Node exp = b.mul(b.unary(UnaryFn.EXPM1, b.binary(BinaryFn.MIN, x, b.constant(0))), b.constant(negative));
        return b.where(b.binary(BinaryFn.GT, x, b.constant(0)), positive, exp);
    }

    /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), in PyTorch's order of operations. */
    private static Node geluTanh(GraphBuilder b, Node x) {
        Node cube = b.mul(b.mul(x, x), x);
        Node inner = b.mul(b.constant(GELU_BETA), b.add(x, b.mul(b.constant(GELU_KAPPA), cube)));
        return b.mul(b.mul(b.constant(0.5), x), b.add(b.constant(1), b.unary(UnaryFn.TANH, inner)));
    }

    /** x where beta·x &gt; threshold, else log(1 + e^(beta·x))/beta (torch.nn.functional.softplus). */
    private static Node softplus(GraphBuilder b, Node x, double beta, double threshold) {
        Node z = beta == 1 ? x : b.mul(x, b.constant(beta));
        Node soft = b.unary(UnaryFn.SOFTPLUS, z);
        if (beta != 1) soft = b.div(soft, b.constant(beta));
        return b.where(b.binary(BinaryFn.GT, z, b.constant(threshold)), x, soft);
    }
}

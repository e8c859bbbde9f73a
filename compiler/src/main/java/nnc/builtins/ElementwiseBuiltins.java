package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Signature.tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.UnaryFn;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Activations and elementwise functions: every {@link UnaryFn} and {@link BinaryFn} that names a
 * builtin (sigmoid, tanh, relu, max, ...) but those {@link ActivationBuiltins} declares with options, and {@code identity}, {@code leaky_relu},
 * {@code where}. Tensors of several arguments broadcast together as by the arithmetic operators.
 * {@code max} and {@code min} are declared with the reductions ({@link ReductionBuiltins}), which
 * take them with one tensor.
 */
final class ElementwiseBuiltins {
    private ElementwiseBuiltins() {}

    /** The names of the builtins {@link #declare} declares, in the registry's order (its index; see {@link Builtins}). */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (UnaryFn f : UnaryFn.values()) own(f).ifPresent(names::add);
        names.addAll(List.of("identity", "leaky_relu"));
        for (BinaryFn f : BinaryFn.values()) own(f).ifPresent(names::add);
        names.add("where");
        return names;
    }

    /**
     * The builtin {@code name}, declared on its own: a model uses a few of the family's ~30, and
     * declaring them all linked their lambdas at the first lookup (~3 ms of the playground's cold
     * compile, branch cold).
     */
    static Builtin declare(String name) {
        switch (name) {
            case "identity":
                return function("identity", tensors("x"), ElementwiseBuiltins::elementwise, c -> c.tensor(0));
            case "leaky_relu":
                return function("leaky_relu", new Signature(List.of("x"), List.of("alpha"), List.of()), ElementwiseBuiltins::leakyRelu, c -> {
                    GraphBuilder b = c.builder();
                    Node x = c.tensor(0);
                    return b.where(b.binary(BinaryFn.GT, x, b.constant(0)), x, b.mul(x, b.constant(c.number("alpha"))));
                });
            case "where":
                return function("where", tensors("cond", "a", "b"), ElementwiseBuiltins::broadcasting,
                        c -> c.builder().where(c.tensor(0), c.tensor(1), c.tensor(2)));
            default:
                break;
        }
        // the elementwise functions exposed as builtins come from their entries
        for (UnaryFn f : UnaryFn.values())
            if (name.equals(own(f).orElse(null)))
                return function(name, tensors("x"), ElementwiseBuiltins::elementwise, c -> c.builder().unary(f, c.tensor(0)));
        for (BinaryFn f : BinaryFn.values())
            if (name.equals(own(f).orElse(null)))
                return function(name, tensors("a", "b"), ElementwiseBuiltins::broadcasting, c -> c.builder().binary(f, c.tensor(0), c.tensor(1)));
        throw new IllegalArgumentException("no elementwise builtin is named " + name);
    }

    /** The builtin of {@code f} when this family declares it: not one {@link ActivationBuiltins} declares with options. */
    private static Optional<String> own(UnaryFn f) {
        return f.builtin().filter(name -> !ActivationBuiltins.WITH_OPTIONS.contains(name));
    }

    /** The builtin of {@code f} when this family declares it: not max and min, which the reductions declare. */
    private static Optional<String> own(BinaryFn f) {
        return f == BinaryFn.MAX || f == BinaryFn.MIN ? Optional.empty() : f.builtin();
    }

    private static TensorType elementwise(TypeContext c) { return c.f32("x"); }

    private static TensorType leakyRelu(TypeContext c) {
        TensorType x = c.f32("x");
        double alpha = c.number("alpha", 0.01);
        if (!Double.isFinite(alpha)) throw c.errorAt("alpha", "'alpha' of leaky_relu must be finite", null);
        c.record("alpha", alpha);
        return x;
    }

    /** Elementwise functions of several tensors, broadcast together as by the arithmetic operators. */
    static TensorType broadcasting(TypeContext c) {
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

    /** 0.5·x·(1 + erf(x/√2)): PyTorch's default (exact) GELU. */
    static Node gelu(GraphBuilder b, Node x) {
        Node cdf = b.add(b.constant(1), b.unary(UnaryFn.ERF, b.mul(x, b.constant(1 / Math.sqrt(2)))));
        return b.mul(b.mul(x, b.constant(0.5)), cdf);
    }
}

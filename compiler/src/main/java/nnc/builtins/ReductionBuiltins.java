package nnc.builtins;

import static nnc.builtins.Builtin.function;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Reductions over every element, one axis or a tuple of axes, with {@code keepdim}: {@code sum},
 * {@code mean}, {@code max} and {@code min} (which with two tensors stay the elementwise maximum and
 * minimum), {@code argmax}, {@code argmin}, {@code logsumexp}, {@code var} and {@code std}. All are
 * compositions of the {@code reduce_sum}/{@code reduce_max} primitives, so their gradients come from
 * those rules: a maximum's gradient is split evenly between tied elements ({@code torch.amax}).
 */
public final class ReductionBuiltins {
    private ReductionBuiltins() {}

    private static final List<String> AXES = List.of("axis", "keepdim");

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("sum", "mean", "max", "min", "argmax", "argmin", "logsumexp", "var", "std");

    static List<Builtin> all() {
        Signature one = new Signature(List.of("x"), AXES, List.of());
        Signature twoOrOne = new Signature(List.of("a", "b"), AXES, List.of(), Map.of("b", Set.of()));
        Signature variance = new Signature(List.of("x"), List.of("axis", "keepdim", "unbiased", "correction"), List.of());
        List<Builtin> all = new ArrayList<>();
        all.add(function("sum", one, ReductionBuiltins::reduction, c -> overAxes(c, () -> c.builder().sum(c.tensor(0), axes(c), keep(c)))));
        all.add(function("mean", one, ReductionBuiltins::reduction, c -> overAxes(c, () -> c.builder().mean(c.tensor(0), axes(c), keep(c)))));
        all.add(function("max", twoOrOne, ReductionBuiltins::maxOrMin, c -> maxOrMin(c, false)));
        all.add(function("min", twoOrOne, ReductionBuiltins::maxOrMin, c -> maxOrMin(c, true)));
        all.add(function("argmax", one, ReductionBuiltins::argReduction, c -> argmax(c.builder(), c.tensor(0), axes(c).get(0), keep(c), false)));
        all.add(function("argmin", one, ReductionBuiltins::argReduction, c -> argmax(c.builder(), c.tensor(0), axes(c).get(0), keep(c), true)));
        all.add(function("logsumexp", one, ReductionBuiltins::reduction, c -> overAxes(c, () -> logSumExp(c.builder(), c.tensor(0), axes(c), keep(c)))));
        all.add(function("var", variance, ReductionBuiltins::variance,
                c -> variance(c.builder(), c.tensor(0), axes(c), keep(c), c.number("correction"))));
        all.add(function("std", variance, ReductionBuiltins::variance,
                c -> c.builder().unary(UnaryFn.SQRT, variance(c.builder(), c.tensor(0), axes(c), keep(c), c.number("correction")))));
        return all;
    }

    // ---------------------------------------------------------------- type rules

    /** {@code f(x)}, {@code f(x, axis = k)}, {@code f(x, axis = (j, k), keepdim = true)}: every element when no axis is given. */
    private static TensorType reduction(TypeContext c) {
        String x = c.signatureTensors().get(0);
        TensorType t = c.f32(x);
        List<Integer> axes;
        if (c.has("axis")) axes = c.axes("axis", t.rank());
        else {
            axes = new ArrayList<>();
            for (int i = 0; i < t.rank(); i++) axes.add(i);
            c.record("axis", axes.stream().map(a -> (double) a).toList());
        }
        boolean keep = flag(c, "keepdim");
        c.record("keepdim", keep);
        return t.withShape(ShapeRules.reduce(t.shape(), axes, keep));
    }

    /** Two tensors: the elementwise maximum or minimum (broadcast); one: a reduction. */
    private static TensorType maxOrMin(TypeContext c) {
        if (!c.hasTensor("b")) return reduction(c);
        for (String option : AXES)
            if (c.has(option))
                throw c.errorAt(option, c.name() + " of two tensors is elementwise and takes no '" + option + "'",
                        "to reduce one tensor write " + c.name() + "(x, axis = k)");
        return ElementwiseBuiltins.broadcasting(c);
    }

    /** {@code argmax(x, axis = k)}: one axis, of fixed size; {@code axis} may be left out for a vector. */
    private static TensorType argReduction(TypeContext c) {
        TensorType x = c.f32("x");
        if (!c.has("axis") && x.rank() != 1)
            throw c.error(c.name() + " needs the axis it searches along, as " + c.describe("x") + " is " + x,
                    "e.g. " + c.name() + "(x, axis = -1) for the class of each row");
        int axis = c.has("axis") ? c.axis("axis", x.rank()) : 0;
        if (!x.shape().dim(axis).isFixed())
            throw c.errorAt(c.has("axis") ? "axis" : "x", c.name() + " searches along an axis of fixed size, but axis " + axis + " of " + x + " is '"
                    + x.shape().dim(axis) + "'", null);
        c.record("axis", List.of((double) axis));
        boolean keep = flag(c, "keepdim");
        c.record("keepdim", keep);
        return x.withShape(ShapeRules.reduce(x.shape(), List.of(axis), keep));
    }

    /** {@code var}/{@code std}: {@code unbiased = true} (correction 1) or {@code correction = c}, as {@code torch.var}. */
    private static TensorType variance(TypeContext c) {
        TensorType result = reduction(c);
        if (c.has("unbiased") && c.has("correction"))
            throw c.errorAt("correction", c.name() + " takes 'unbiased' or 'correction', not both", "unbiased = false is correction = 0");
        double correction = 1;
        if (c.has("unbiased")) correction = flag(c, "unbiased") ? 1 : 0;
        else if (c.has("correction")) {
            correction = c.number("correction", 1);
            if (correction != Math.rint(correction) || correction < 0)
                throw c.errorAt("correction", "'correction' of " + c.name() + " is a whole number of at least 0, got " + c.show(c.option("correction")),
                        "1 divides by n − 1 (the default, unbiased), 0 by n");
        }
        c.record("correction", correction);
        TensorType x = c.type("x");
        long fixed = 1;
        boolean symbolic = false;
        @SuppressWarnings("unchecked") List<Double> axes = (List<Double>) c.option("axis");
        for (double a : axes) {
            Dim d = x.shape().dim((int) a);
            if (d.isFixed()) fixed *= d.size();
            else symbolic = true;
        }
        if (!symbolic && fixed <= correction)
            throw c.error(c.name() + " over " + fixed + " element" + (fixed == 1 ? "" : "s") + " with correction " + (long) correction + " divides by "
                    + (fixed - (long) correction), "reduce over more elements, or pass correction = 0 (unbiased = false)");
        return result;
    }

    /** A true/false option, false when absent. */
    private static boolean flag(TypeContext c, String option) {
        Object v = c.option(option);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if ("true".equals(v) || "false".equals(v)) return "true".equals(v);
        throw c.errorAt(option, "'" + option + "' of " + c.name() + " must be true or false, got " + c.show(v), null);
    }

    // ---------------------------------------------------------------- lowerings

    /** The reduced axes the type rule recorded (0-based, increasing). */
    private static List<Integer> axes(LowerContext c) {
        return ((List<?>) c.option("axis")).stream().map(a -> ((Number) a).intValue()).toList();
    }

    private static boolean keep(LowerContext c) { return (Boolean) c.option("keepdim"); }

    /** The reduction {@code r}, or the argument itself when there is no axis to reduce (a scalar). */
    private static Node overAxes(LowerContext c, Supplier<Node> r) { return axes(c).isEmpty() ? c.tensor(0) : r.get(); }

    private static Node maxOrMin(LowerContext c, boolean min) {
        GraphBuilder b = c.builder();
        if (c.tensor(1) != null) return b.binary(min ? BinaryFn.MIN : BinaryFn.MAX, c.tensor(0), c.tensor(1));
        Node x = c.tensor(0);
        if (axes(c).isEmpty()) return x;
        return min ? b.neg(b.reduce(ReduceFn.MAX, b.neg(x), axes(c), keep(c))) : b.reduce(ReduceFn.MAX, x, axes(c), keep(c));
    }

    /**
     * The first index of the largest (smallest) element along {@code axis}, as an f32: with n the
     * axis's size, n − 1 − max(where(x = max, n − 1 − index, −1)). No gradient flows: the index
     * depends on x only through comparisons.
     */
    public static Node argmax(GraphBuilder b, Node x, int axis, boolean keep, boolean min) {
        Node v = min ? b.neg(x) : x;
        List<Integer> axes = List.of(axis);
        Node best = b.shiftMax(v, axes);
        long n = x.shape().dim(axis).size();
        List<Dim> ones = new ArrayList<>();
        for (int i = 0; i < x.shape().rank(); i++) ones.add(i == axis ? Dim.of(n) : Dim.ONE);
        Node reversed = b.sub(b.constant(n - 1), b.node(new Op.Iota(new Shape(ones), axis)));
        Node candidates = b.where(b.binary(BinaryFn.EQ, v, best), reversed, b.constant(-1));
        return b.sub(b.constant(n - 1), b.reduce(ReduceFn.MAX, candidates, axes, keep));
    }

    /** m + log Σ exp(x − m), m the kept maximum (no gradient, as in softmax). */
    public static Node logSumExp(GraphBuilder b, Node x, List<Integer> axes, boolean keep) {
        Node m = b.shiftMax(x, axes);
        Node r = b.add(m, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, b.sub(x, m)), axes, true)));
        return keep ? r : b.reshape(r, ShapeRules.reduce(x.shape(), axes, false));
    }

    /** Σ (x − mean)² / (n − correction) over {@code axes}. */
    public static Node variance(GraphBuilder b, Node x, List<Integer> axes, boolean keep, double correction) {
        Node d = b.sub(x, b.mean(x, axes, true));
        Node n = b.count(x.shape(), axes);
        Node divisor = correction == 0 ? n : b.sub(n, b.constant(correction));
        return b.div(b.sum(b.mul(d, d), axes, keep), divisor);
    }
}

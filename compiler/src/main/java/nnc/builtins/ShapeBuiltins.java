package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Signature.tensors;

import java.util.ArrayList;
import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeRules;
import nnc.types.Size;
import nnc.types.TensorType;

/**
 * Shapes: {@code transpose}, {@code flatten}, {@code reshape}, {@code zeros}, {@code ones} (the
 * reductions are {@link ReductionBuiltins}).
 */
final class ShapeBuiltins {
    private ShapeBuiltins() {}

    /** The most dimensions {@code reshape} takes. */
    static final int MAX_RESHAPE_DIMS = 8;

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("transpose", "flatten", "reshape", "zeros", "ones");

    static List<Builtin> all() {
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < MAX_RESHAPE_DIMS; i++) dims.add("d" + i);
        List<Builtin> all = new ArrayList<>();
        all.add(function("transpose", new Signature(List.of("x"), List.of("dim0", "dim1"), List.of()), ShapeBuiltins::transpose,
                c -> c.builder().transpose(c.tensor(0), c.has("dim0") ? PlumbingBuiltins.swap(c.tensor(0).shape().rank(), c.intOption("dim0"), c.intOption("dim1"))
                        : Op.Transpose.lastTwo(c.tensor(0).shape().rank()))));
        all.add(function("flatten", tensors("x"), ShapeBuiltins::flatten, c -> c.builder().reshape(c.tensor(0), c.resultType().shape())));
        all.add(function("reshape", new Signature(List.of("x"), dims, List.of("d0")), ShapeBuiltins::reshape,
                c -> c.builder().reshape(c.tensor(0), c.resultType().shape())));
        all.add(function("zeros", new Signature(List.of(), dims, List.of("d0")), ShapeBuiltins::filled, c -> filled(c, 0)));
        all.add(function("ones", new Signature(List.of(), dims, List.of("d0")), ShapeBuiltins::filled, c -> filled(c, 1)));
        return all;
    }

    private static TensorType transpose(TypeContext c) {
        TensorType x = c.f32("x");
        if (c.has("dim0") || c.has("dim1")) return PlumbingBuiltins.transposeAxes(c, x);
        if (x.rank() < 2)
            throw c.errorAt("x", "transpose swaps the last two axes, but " + c.describe("x") + " is " + x,
                    x.rank() == 1 ? "a vector has one axis; reshape it to a matrix first: reshape(v, n, 1)" : "a scalar has no axes");
        int r = x.rank();
        return x.withShape(x.shape().with(r - 2, x.shape().dim(r - 1)).with(r - 1, x.shape().dim(r - 2)));
    }

    private static TensorType flatten(TypeContext c) {
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
    private static TensorType reshape(TypeContext c) {
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
            List<String> left = new ArrayList<>(want.symbols()); // the symbols the -1 takes: batch, when the others do not name it
            boolean divides = want.constant() % have.constant() == 0;
            for (String s : have.symbols()) divides &= left.remove(s);
            if (!divides || left.size() > 1)
                throw c.error("cannot reshape " + x + " into " + describeDims(dims, inferred) + ": the -1 cannot be worked out",
                        "the other dimensions must divide the " + want + " elements");
            Dim d = Dim.of(want.constant() / have.constant());
            if (!left.isEmpty()) {
                d = Dim.times(d, Dim.BATCH);
                if (inferred != 0)
                    throw c.errorAt("d" + inferred, "the -1 in " + describeDims(dims, inferred) + " stands for " + d + " (it holds the batch), and only the first dimension can",
                            "put it first, reshape(x, -1, ...), or keep the batch first: reshape(x, batch, ...)");
            }
            dims.set(inferred, d);
            have = new Shape(dims).numel();
        }
        if (!want.equals(have))
            throw c.error("cannot reshape " + x + " (" + want + " elements) into " + TensorType.f32(new Shape(dims)) + " (" + have + " elements)",
                    x.rank() >= 2 && x.shape().dim(0).equals(Dim.BATCH) && !dims.contains(Dim.BATCH)
                            ? "keep the batch axis: reshape(x, batch, ...), or use flatten(x)" : "the element counts must be equal");
        return x.withShape(new Shape(dims));
    }

    /** {@code zeros(batch, 64)}, {@code ones(3, 4)}: a tensor of that shape filled with 0 or 1. */
    private static TensorType filled(TypeContext c) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < MAX_RESHAPE_DIMS && c.has("d" + i); i++) dims.add(dimension(c, i, ""));
        return TensorType.f32(new Shape(dims));
    }

    private static Node filled(LowerContext c, double value) {
        return c.builder().broadcast(c.builder().constant(value), c.resultType().shape());
    }

    /** Option {@code d<i>} as a dimension: a whole number of at least 1, or {@code batch} first. */
    private static Dim dimension(TypeContext c, int i, String orElse) {
        String slot = "d" + i;
        Object v = c.option(slot);
        if ("batch".equals(v)) {
            if (i != 0) throw c.errorAt(slot, "'batch' can only be the first dimension", "write it first: " + c.name() + "(" + (c.name().equals("reshape") ? "x, " : "") + "batch, ...)");
            return Dim.BATCH;
        }
        if (v instanceof Double d && d == Math.rint(d) && d >= 1 && d <= Integer.MAX_VALUE) return Dim.of((long) (double) d);
        throw c.errorAt(slot, "a dimension of " + c.name() + " is a whole number of at least 1, 'batch'" + (orElse.isEmpty() ? "" : ", " + orElse) + ", got "
                + c.show(v), null);
    }

    private static String describeDims(List<Dim> dims, int inferred) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) parts.add(i == inferred ? "-1" : dims.get(i).toString());
        return "[" + String.join(",", parts) + "]";
    }

    /** The last axis of {@code x}, as a list of reduced axes. */
    static List<Integer> lastAxis(Node x) { return List.of(x.shape().rank() - 1); }
}

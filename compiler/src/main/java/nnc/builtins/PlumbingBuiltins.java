package nnc.builtins;

import static nnc.builtins.Builtin.function;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Tensor plumbing as in PyTorch: {@code concat}, {@code stack}, {@code permute}, {@code squeeze},
 * {@code unsqueeze}, {@code expand}, {@code repeat}, {@code pad} (zeros), {@code chunk} and
 * {@code split} (the pieces stacked along a new first axis, so {@code chunk(x, 3, axis = 1)[0]} is the
 * first). All lower to slices, zero pads, reshapes, broadcasts and transposes; {@code concat} is the
 * sum of its parts each padded with zeros to the joined size.
 */
final class PlumbingBuiltins {
    private PlumbingBuiltins() {}

    /** The most tensors {@code concat} and {@code stack} join. */
    static final int MAX_JOINED = 8;

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("concat", "stack", "permute", "squeeze", "unsqueeze", "expand", "repeat", "pad", "chunk", "split");

    static List<Builtin> all() {
        List<String> dims = new ArrayList<>(), pads = new ArrayList<>();
        for (int i = 0; i < ShapeBuiltins.MAX_RESHAPE_DIMS; i++) dims.add("d" + i);
        for (int i = 0; i < 2 * ShapeBuiltins.MAX_RESHAPE_DIMS; i++) pads.add("p" + i);
        List<Builtin> all = new ArrayList<>();
        Signature joined = Signature.variadic(1, MAX_JOINED, List.of("axis"), List.of()); // the axis is required: join's own message
        all.add(function("concat", joined, c -> join(c, false), c -> concat(c.builder(), given(c), c.intOption("axis"))));
        all.add(function("stack", joined, c -> join(c, true), c -> {
            int axis = c.intOption("axis");
            List<Node> parts = new ArrayList<>();
            for (Node t : given(c)) parts.add(c.builder().reshape(t, unsqueezed(t.shape(), axis)));
            return concat(c.builder(), parts, axis);
        }));
        all.add(function("permute", new Signature(List.of("x"), dims, List.of("d0")), PlumbingBuiltins::permute, c -> {
            List<Integer> perm = new ArrayList<>();
            for (int i = 0; i < c.tensor(0).shape().rank(); i++) perm.add(c.intOption("d" + i));
            return c.builder().transpose(c.tensor(0), new Op.Transpose(perm));
        }));
        Signature overAxis = new Signature(List.of("x"), List.of("axis"), List.of());
        all.add(function("squeeze", overAxis, PlumbingBuiltins::squeeze, PlumbingBuiltins::reshaped));
        all.add(function("unsqueeze", new Signature(List.of("x"), List.of("axis"), List.of("axis")), c -> {
            TensorType x = c.f32("x");
            return x.withShape(unsqueezed(x.shape(), c.axis("axis", x.rank() + 1)));
        }, PlumbingBuiltins::reshaped));
        all.add(function("expand", new Signature(List.of("x"), dims, List.of("d0")), PlumbingBuiltins::expand,
                c -> c.builder().broadcast(c.tensor(0), c.resultType().shape())));
        all.add(function("repeat", new Signature(List.of("x"), dims, List.of("d0")), PlumbingBuiltins::repeat, PlumbingBuiltins::repeat));
        all.add(function("pad", new Signature(List.of("x"), pads, List.of("p0", "p1")), PlumbingBuiltins::pad,
                c -> c.builder().pad(c.tensor(0), padOp(c.tensor(0).shape().rank(), c::has, c::intOption))));
        all.add(function("chunk", new Signature(List.of("x"), List.of("chunks", "axis"), List.of("chunks", "axis")),
                c -> pieces(c, "chunks"), PlumbingBuiltins::pieces));
        all.add(function("split", new Signature(List.of("x"), List.of("size", "axis"), List.of("size", "axis")),
                c -> pieces(c, "size"), PlumbingBuiltins::pieces));
        return all;
    }

    // ---- concat and stack

    /** The tensors given (the optional ones left out are null). */
    private static List<Node> given(LowerContext c) {
        List<Node> out = new ArrayList<>();
        for (Node t : c.tensors()) if (t != null) out.add(t);
        return out;
    }

    /** The given tensors' slots in order: t0, t1, … */
    private static List<String> given(TypeContext c) {
        List<String> out = new ArrayList<>();
        for (String t : c.signatureTensors()) if (c.arg(t) != null) out.add(t);
        return out;
    }

    private static TensorType join(TypeContext c, boolean stack) {
        List<String> ts = given(c);
        for (String t : ts)
            if (c.arg(t) instanceof Ast.NumberLit || c.arg(t) instanceof Ast.Negate)
                throw c.errorAt(t, c.name() + " takes tensors, then the axis by name, but got a number here",
                        "write " + c.name() + "(a, b, axis = 1)");
        if (!c.has("axis"))
            throw c.error(c.name() + " needs the axis by name", "write " + c.name() + "(a, b, axis = 1)");
        TensorType first = c.f32(ts.get(0));
        int rank = first.rank();
        int axis = c.axis("axis", stack ? rank + 1 : rank);
        for (String t : ts) {
            TensorType ty = c.f32(t);
            boolean fits = ty.rank() == rank;
            for (int k = 0; fits && k < rank; k++) fits = !stack && k == axis || ty.shape().dim(k).equals(first.shape().dim(k));
            if (!fits)
                throw c.errorAt(t, c.name() + (stack ? " needs tensors of one shape" : " along axis " + axis + " needs the other axes equal") + ", but "
                        + c.describe(t) + " is " + ty + " and " + c.describe(ts.get(0)) + " is " + first,
                        stack ? "every tensor stacked must have the shape of the first" : "only the size along axis " + axis + " may differ");
        }
        if (stack) return first.withShape(unsqueezed(first.shape(), axis).with(axis, Dim.of(ts.size())));
        long total = 0;
        for (String t : ts) {
            Dim d = c.type(t).shape().dim(axis);
            if (!d.isFixed())
                throw c.errorAt(t, "concat along axis " + axis + " needs fixed sizes there, but " + c.describe(t) + " is " + c.type(t),
                        "join along another axis; the '" + d + "' axis is only known at run time");
            total += d.size();
        }
        return first.withShape(first.shape().with(axis, Dim.of(total)));
    }

    /** The parts joined along {@code axis}: each padded with zeros to the joined size, then summed. */
    static Node concat(GraphBuilder b, List<Node> parts, int axis) {
        long total = 0;
        for (Node p : parts) total += p.shape().dim(axis).size();
        Node sum = null;
        long at = 0;
        for (Node p : parts) {
            int rank = p.shape().rank();
            List<Long> before = new ArrayList<>(Collections.nCopies(rank, 0L)), after = new ArrayList<>(before);
            long n = p.shape().dim(axis).size();
            before.set(axis, at);
            after.set(axis, total - at - n);
            at += n;
            Node padded = b.pad(p, new Op.Pad(before, after));
            sum = sum == null ? padded : b.add(sum, padded);
        }
        return sum;
    }

    // ---- axes

    private static TensorType permute(TypeContext c) {
        TensorType x = c.f32("x");
        int given = 0;
        while (given < ShapeBuiltins.MAX_RESHAPE_DIMS && c.has("d" + given)) given++;
        if (given != x.rank())
            throw c.error("permute needs one axis per axis of " + c.describe("x") + " (" + x.rank() + "), got " + given,
                    "e.g. permute(x, 0, 2, 1) swaps the last two axes of a rank-3 tensor");
        boolean[] seen = new boolean[x.rank()];
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < given; i++) {
            int a = c.axis("d" + i, x.rank());
            if (seen[a]) throw c.errorAt("d" + i, "axis " + a + " appears twice in permute", "name every axis of the tensor once");
            seen[a] = true;
            dims.add(x.shape().dim(a));
        }
        return x.withShape(new Shape(dims));
    }

    /** {@code transpose(x, a, b)}: axes a and b swapped (both recorded 0-based). */
    static TensorType transposeAxes(TypeContext c, TensorType x) {
        if (!c.has("dim0") || !c.has("dim1"))
            throw c.error("transpose takes two axes or none, got one", "transpose(x, 0, 1) swaps axes 0 and 1; transpose(x) the last two");
        int a = c.axis("dim0", x.rank()), b = c.axis("dim1", x.rank());
        return x.withShape(x.shape().with(a, x.shape().dim(b)).with(b, x.shape().dim(a)));
    }

    /** The permutation of {@code rank} axes swapping a and b. */
    static Op.Transpose swap(int rank, int a, int b) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < rank; i++) p.add(i);
        Collections.swap(p, a, b);
        return new Op.Transpose(p);
    }

    private static TensorType squeeze(TypeContext c) {
        TensorType x = c.f32("x");
        if (!c.has("axis")) {
            List<Dim> dims = new ArrayList<>();
            for (Dim d : x.shape().dims()) if (!d.isOne()) dims.add(d);
            return x.withShape(new Shape(dims));
        }
        int axis = c.axis("axis", x.rank());
        if (!x.shape().dim(axis).isOne())
            throw c.errorAt("axis", "squeeze removes an axis of size 1, but axis " + axis + " of " + c.describe("x") + " (" + x + ") has size "
                    + x.shape().dim(axis), "squeeze(x) removes every axis of size 1");
        List<Integer> one = List.of(axis);
        return x.withShape(x.shape().without(one));
    }

    private static Node reshaped(LowerContext c) { return c.builder().reshape(c.tensor(0), c.resultType().shape()); }

    private static Shape unsqueezed(Shape s, int axis) {
        List<Dim> dims = new ArrayList<>(s.dims());
        dims.add(axis, Dim.ONE);
        return new Shape(dims);
    }

    // ---- expand and repeat

    /** The dimension options d0, d1, …: whole numbers of at least 1, {@code batch}, or (when allowed) -1. */
    private static List<Object> sizes(TypeContext c) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < ShapeBuiltins.MAX_RESHAPE_DIMS && c.has("d" + i); i++) out.add(c.option("d" + i));
        return out;
    }

    private static TensorType expand(TypeContext c) {
        TensorType x = c.f32("x");
        List<Object> sizes = sizes(c);
        if (sizes.size() < x.rank())
            throw c.error("expand needs at least one size per axis of " + c.describe("x") + " (" + x.rank() + "), got " + sizes.size(),
                    "-1 keeps an axis as it is: expand(x, -1, 4)");
        List<Dim> dims = new ArrayList<>();
        int lead = sizes.size() - x.rank();
        for (int i = 0; i < sizes.size(); i++) {
            Object v = sizes.get(i);
            if (v instanceof Double d && d == -1 && i >= lead) dims.add(x.shape().dim(i - lead));
            else if ("batch".equals(v)) dims.add(Dim.BATCH);
            else if (v instanceof Double d && d == Math.rint(d) && d >= 1 && d <= Integer.MAX_VALUE) dims.add(Dim.of((long) (double) d));
            else throw c.errorAt("d" + i, "a size of expand is a whole number of at least 1, 'batch', or -1 (keep the axis), got " + c.show(v), null);
        }
        Shape to = new Shape(dims);
        if (!ShapeRules.broadcastsTo(x.shape(), to))
            throw c.error("expand cannot broadcast " + c.describe("x") + " (" + x + ") to " + TensorType.f32(to),
                    "only axes of size 1 grow; -1 keeps an axis as it is");
        return x.withShape(to);
    }

    private static TensorType repeat(TypeContext c) {
        TensorType x = c.f32("x");
        List<Object> sizes = sizes(c);
        if (sizes.size() < x.rank())
            throw c.error("repeat needs one count per axis of " + c.describe("x") + " (" + x.rank() + "), got " + sizes.size(),
                    "repeat(x, 1, 3) tiles a matrix three times along its columns");
        List<Dim> dims = new ArrayList<>();
        int lead = sizes.size() - x.rank();
        for (int i = 0; i < sizes.size(); i++) {
            if (!(sizes.get(i) instanceof Double d) || d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE)
                throw c.errorAt("d" + i, "a count of repeat is a whole number of at least 1, got " + c.show(sizes.get(i)), null);
            long r = (long) (double) d;
            Dim own = i < lead ? Dim.ONE : x.shape().dim(i - lead);
            if (r == 1) dims.add(own);
            else if (own.isFixed()) dims.add(Dim.of(r * own.size()));
            else throw c.errorAt("d" + i, "axis " + (i - lead) + " of " + c.describe("x") + " has the run-time size " + own + " and cannot be repeated",
                        "repeat it 1 time");
        }
        return x.withShape(new Shape(dims));
    }

    /** Tiles: x as [1, d0, 1, d1, …], broadcast to [r0, d0, r1, d1, …], then each pair merged. */
    private static Node repeat(LowerContext c) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0);
        Shape out = c.resultType().shape();
        int lead = out.rank() - x.shape().rank();
        List<Dim> pairs = new ArrayList<>(), ones = new ArrayList<>();
        for (int i = 0; i < out.rank(); i++) {
            Dim own = i < lead ? Dim.ONE : x.shape().dim(i - lead);
            long r = own.equals(out.dim(i)) ? 1 : out.dim(i).size() / own.size();
            ones.add(Dim.ONE);
            ones.add(own);
            pairs.add(Dim.of(r));
            pairs.add(own);
        }
        return b.reshape(b.broadcast(b.reshape(x, new Shape(ones)), new Shape(pairs)), out);
    }

    // ---- pad

    /** Option lookups of a call, for {@link #padOp}. */
    private interface Has { boolean has(String option); }

    private interface IntOf { int of(String option); }

    /** PyTorch's order: (left, right) of the last axis, then of the one before it, … */
    private static Op.Pad padOp(int rank, Has has, IntOf value) {
        List<Long> before = new ArrayList<>(Collections.nCopies(rank, 0L)), after = new ArrayList<>(before);
        for (int i = 0; has.has("p" + i); i += 2) {
            int axis = rank - 1 - i / 2;
            before.set(axis, (long) value.of("p" + i));
            after.set(axis, (long) value.of("p" + (i + 1)));
        }
        return new Op.Pad(before, after);
    }

    private static TensorType pad(TypeContext c) {
        TensorType x = c.f32("x");
        int given = 0;
        while (given < 2 * ShapeBuiltins.MAX_RESHAPE_DIMS && c.has("p" + given)) given++;
        for (int i = given; i < 2 * ShapeBuiltins.MAX_RESHAPE_DIMS; i++)
            if (c.has("p" + i)) throw c.errorAt("p" + i, "pad's amounts are given in order p0, p1, ...", null);
        if (given % 2 != 0 || given > 2 * x.rank())
            throw c.error("pad takes pairs (before, after) from the last axis backwards, at most " + x.rank() + " pair" + (x.rank() == 1 ? "" : "s") + " for " + c.describe("x") + " (" + x + "), got "
                    + given + " amount" + (given == 1 ? "" : "s"), "pad(x, 1, 2) pads the last axis with 1 zero before and 2 after");
        Shape s = x.shape();
        for (int i = 0; i < given; i++) {
            Object v = c.option("p" + i);
            if (!(v instanceof Double d) || d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE)
                throw c.errorAt("p" + i, "a padding amount is a whole number of at least 0, got " + c.show(v), "pad adds zeros; to cut, use a slice x[:, 1:-1]");
            int axis = x.rank() - 1 - i / 2;
            long n = (long) (double) d;
            if (n == 0) continue;
            Dim dim = s.dim(axis);
            if (!dim.isFixed())
                throw c.errorAt("p" + i, "axis " + axis + " of " + c.describe("x") + " has the run-time size " + dim + " and cannot be padded", null);
            s = s.with(axis, Dim.of(s.dim(axis).size() + n));
        }
        return x.withShape(s);
    }

    // ---- chunk and split

    /** {@code chunk(x, n, axis)} or {@code split(x, size, axis)}: [n, …, size, …], the pieces along a new first axis. */
    private static TensorType pieces(TypeContext c, String count) {
        TensorType x = c.f32("x");
        int axis = c.axis("axis", x.rank());
        int k = c.positiveInt(count);
        Dim d = x.shape().dim(axis);
        if (!d.isFixed())
            throw c.errorAt("axis", "axis " + axis + " of " + c.describe("x") + " has the run-time size " + d + " and cannot be split", null);
        long n = d.size();
        if (n % k != 0)
            throw c.errorAt(count, c.name() + (count.equals("chunks") ? " into " + k + " equal pieces" : " into pieces of " + k)
                    + " needs " + k + " to divide the size " + n + " of axis " + axis, "for unequal pieces, take slices such as x[:, 0:4]");
        long chunks = count.equals("chunks") ? k : n / k;
        c.record("pieces", (double) chunks);
        List<Dim> dims = new ArrayList<>(x.shape().with(axis, Dim.of(n / chunks)).dims());
        dims.add(0, Dim.of(chunks));
        return x.withShape(new Shape(dims));
    }

    /** x with the axis split into [pieces, size], the pieces axis moved to the front. */
    private static Node pieces(LowerContext c) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0);
        int axis = c.intOption("axis"), rank = x.shape().rank();
        long chunks = (long) c.number("pieces");
        List<Dim> split = new ArrayList<>(x.shape().dims());
        split.set(axis, Dim.of(x.shape().dim(axis).size() / chunks));
        split.add(axis, Dim.of(chunks));
        List<Integer> perm = new ArrayList<>();
        perm.add(axis);
        for (int i = 0; i <= rank; i++) if (i != axis) perm.add(i);
        return b.transpose(b.reshape(x, new Shape(split)), new Op.Transpose(perm));
    }
}

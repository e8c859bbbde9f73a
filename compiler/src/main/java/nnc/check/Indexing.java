package nnc.check;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import nnc.ir.Op;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * {@code x[...]}: indexing and basic slicing as in PyTorch, worked out from the item constants and
 * x's shape: one slice over every axis (a symbolic axis only whole), then a reshape that drops the
 * indexed axes. A negative index or bound counts from the end; slice bounds are clipped to the axis
 * (as in Python), an index must lie inside it, and steps are whole numbers of at least 1. The
 * checker reports problems at the item; lowering reads the same plan.
 */
public final class Indexing {
    private Indexing() {}

    /** The slice of every axis of x, and the result's shape (the indexed axes dropped). */
    public record Plan(Op.Slice slice, Shape result) {}

    /** The plan of {@code x} (of shape {@code shape}) indexed by {@code e}'s items. */
    public static Plan plan(Ast.Index e, Shape shape) {
        List<Ast.IndexItem> items = e.items();
        int ellipses = 0, named = 0;
        for (Ast.IndexItem i : items) {
            if (i.ellipsis() && ++ellipses > 1) throw CheckFailure.error(i.span(), "an index can hold only one '...'");
            if (!i.ellipsis()) named++;
        }
        int rank = shape.rank();
        if (named > rank)
            throw CheckFailure.error(e.span(), "too many indices: " + named + " for a tensor of rank " + rank + " (" + shape + ")",
                    rank == 0 ? "a scalar cannot be indexed" : "index at most " + rank + " axes");
        List<Long> start = new ArrayList<>(), stop = new ArrayList<>(), step = new ArrayList<>();
        List<Dim> result = new ArrayList<>();
        int axis = 0;
        for (Ast.IndexItem i : items) {
            if (i.ellipsis()) {
                for (int k = 0; k < rank - named; k++) whole(shape, axis++, start, stop, step, result);
                continue;
            }
            Dim d = shape.dim(axis);
            if (i.at() != null) {
                long at = whole(i.at(), "an index");
                if (!(d instanceof Dim.Fixed f))
                    throw CheckFailure.error(i.span(), "axis " + axis + " of " + shape + " has the run-time size " + d + " and cannot be indexed",
                            "index or slice the fixed axes; '" + d + "' axes are kept whole (':')");
                long n = f.size();
                if (at < -n || at >= n)
                    throw CheckFailure.error(i.span(), "index " + at + " is out of range for axis " + axis + " of size " + n,
                            "indices run from 0 to " + (n - 1) + ", or from -" + n + " to -1 counting from the end");
                long k = at < 0 ? at + n : at;
                start.add(k);
                stop.add(k + 1);
                step.add(0L);
                axis++;
                continue;
            }
            long s = i.step() == null ? 1 : whole(i.step(), "a step");
            if (s < 1) throw CheckFailure.error(i.step().span(), "a slice step must be at least 1, got " + s, "negative steps are not supported");
            if (!(d instanceof Dim.Fixed f)) {
                if (i.start() != null || i.stop() != null || s != 1)
                    throw CheckFailure.error(i.span(), "axis " + axis + " of " + shape + " has the run-time size " + d + " and cannot be sliced",
                            "keep it whole with ':'");
                whole(shape, axis++, start, stop, step, result);
                continue;
            }
            long n = f.size();
            long lo = clip(i.start() == null ? 0 : whole(i.start(), "a slice bound"), n);
            long hi = clip(i.stop() == null ? n : whole(i.stop(), "a slice bound"), n);
            if (hi <= lo)
                throw CheckFailure.error(i.span(), "the slice is empty: " + lo + ":" + hi + " of axis " + axis + " of size " + n,
                        "a slice keeps at least one element");
            start.add(lo);
            stop.add(hi);
            step.add(s);
            result.add(Dim.of((hi - lo + s - 1) / s));
            axis++;
        }
        while (axis < rank) whole(shape, axis++, start, stop, step, result);
        return new Plan(new Op.Slice(start, stop, step), new Shape(result));
    }

    /**
     * {@code chunk(x, …)[i, rest…]} or {@code split(x, …)[i, rest…]}, checked: piece i read straight from x
     * (one slice of x's split axis), then the other items; or null for any other index.
     */
    public static Ast.Index pieceOf(Ast.Index e) {
        if (!(e.target() instanceof Ast.Call c) || e.items().isEmpty() || e.items().get(0).at() == null) return null;
        return c.callee().equals("chunk") || c.callee().equals("split") ? new Ast.Index(e.target(), e.items().subList(1, e.items().size()), e.span()) : null;
    }

    /** The piece {@code e.items().get(0)} names among {@code pieces}, counted from 0. */
    public static long pieceIndex(Ast.Index e, long pieces) {
        long at = whole(e.items().get(0).at(), "an index");
        return at < 0 ? at + pieces : at;
    }

    private static void whole(Shape shape, int axis, List<Long> start, List<Long> stop, List<Long> step, List<Dim> result) {
        start.add(0L);
        stop.add(-1L);
        step.add(1L);
        result.add(shape.dim(axis));
    }

    /** A slice bound clipped to {@code 0..n} after counting a negative one from the end. */
    private static long clip(long v, long n) { return Math.max(0, Math.min(n, v < 0 ? v + n : v)); }

    private static long whole(Ast.Expr e, String what) {
        OptionalDouble v = ConstEval.eval(e);
        if (v.isEmpty() || v.getAsDouble() != Math.rint(v.getAsDouble()) || Math.abs(v.getAsDouble()) > Integer.MAX_VALUE)
            throw CheckFailure.error(e.span(), what + " must be a whole-number constant" + (v.isPresent() ? ", got " + ConstEval.show(v.getAsDouble()) : ""),
                    "write a number such as 0, -1 or 2, or an int parameter of a fn");
        return (long) v.getAsDouble();
    }
}

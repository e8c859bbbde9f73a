package nnc.types;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape rules of the language, shared by the checker (which reports violations with spans)
 * and the Graph IR builder (which asserts them). One place, so both always agree.
 */
public final class ShapeRules {
    private ShapeRules() {}

    /** NumPy broadcasting, aligned at the trailing axis. */
    public static Shape broadcast(Shape a, Shape b) throws ShapeError {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = a.rank() - rank + i, ib = b.rank() - rank + i;
            Dim da = ia >= 0 ? a.dim(ia) : Dim.ONE;
            Dim db = ib >= 0 ? b.dim(ib) : Dim.ONE;
            if (da.equals(db) || db.isOne()) out.add(da);
            else if (da.isOne()) out.add(db);
            else throw new ShapeError("shapes " + a + " and " + b + " cannot be broadcast together (" + da + " vs " + db + ")");
        }
        return new Shape(out);
    }

    /**
     * Matrix product [m,k]·[k,n] (with optional transposes of the last two axes) → [m,n]; operands of
     * equal rank above 2 are batches of matrices with equal leading (batch) axes:
     * [b…, m,k]·[b…, k,n] → [b…, m,n].
     */
    public static Shape matmul(Shape a, Shape b, boolean transA, boolean transB) throws ShapeError {
        if (a.rank() < 2 || a.rank() != b.rank())
            throw new ShapeError("matrix product needs two matrices or two batches of matrices of equal rank, got " + a + " @ " + b);
        int r = a.rank();
        for (int i = 0; i < r - 2; i++)
            if (!a.dim(i).equals(b.dim(i)))
                throw new ShapeError("batch dimensions of " + a + " @ " + b + " differ at axis " + i + ": " + a.dim(i) + " vs " + b.dim(i),
                        "a batched product multiplies matrices pairwise: every axis but the last two must be equal");
        Dim m = transA ? a.dim(r - 1) : a.dim(r - 2), ka = transA ? a.dim(r - 2) : a.dim(r - 1);
        Dim kb = transB ? b.dim(r - 1) : b.dim(r - 2), n = transB ? b.dim(r - 2) : b.dim(r - 1);
        if (!ka.equals(kb)) {
            String hint = null;
            if (!transB && b.dim(r - 1).equals(ka)) hint = "the right operand looks transposed: its shape is " + b + ", expected [" + ka + "," + b.dim(r - 2) + "] in its last two axes";
            throw new ShapeError("inner dimensions of " + a + " @ " + b + " differ: " + ka + " vs " + kb, hint);
        }
        List<Dim> out = new ArrayList<>(a.dims().subList(0, r - 2));
        out.add(m);
        out.add(n);
        return new Shape(out);
    }

    /** The number of matrices in a batched product's operand of shape {@code s}: the product of all axes but the last two. */
    public static Dim batchCount(Shape s) {
        Dim count = Dim.ONE;
        for (int i = 0; i < s.rank() - 2; i++) count = Dim.times(count, s.dim(i));
        return count;
    }

    /** Reduction over {@code axes}. */
    public static Shape reduce(Shape s, List<Integer> axes, boolean keepDims) {
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (!axes.contains(i)) out.add(s.dim(i));
            else if (keepDims) out.add(Dim.ONE);
        }
        return new Shape(out);
    }

    /** True when {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(Shape from, Shape to) {
        try {
            return broadcast(from, to).equals(to);
        } catch (ShapeError e) {
            return false;
        }
    }

    /**
     * The axis a scan steps along in {@code sequence}: axis 1 (time) of a {@code [batch, time, …]}
     * sequence, else axis 0. Returns -1 when the sequence has no axis to step along besides batch.
     */
    public static int scanAxis(Shape sequence) {
        if (sequence.rank() >= 2 && sequence.dim(0).equals(Dim.BATCH)) return 1;
        if (sequence.rank() >= 1 && !sequence.dim(0).equals(Dim.BATCH)) return 0;
        return -1;
    }

    /** {@code s} with {@code d} inserted before axis {@code axis}. */
    public static Shape insert(Shape s, int axis, Dim d) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (i == axis) dims.add(d);
            dims.add(s.dim(i));
        }
        if (axis == s.rank()) dims.add(d);
        return new Shape(dims);
    }
}

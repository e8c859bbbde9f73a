package nnc.autodiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * The adjoints of {@link Op.Slice} and {@link Op.Pad}, each the other: a slice's adjoint puts g
 * back where the slice read it and zeros elsewhere (a pad; along an axis read with a step, each
 * element of g is first followed by step − 1 zeros), a pad's adjoint reads g where the input went.
 */
final class SliceVjp {
    private SliceVjp() {}

    /** ∂L/∂x of {@code y = slice(x)}: g padded back to x's shape. */
    static Node ofSlice(GraphBuilder b, Op.Slice s, Node x, Node g) {
        int rank = x.shape().rank();
        List<Dim> kept = new ArrayList<>();
        for (int k = 0; k < rank; k++) kept.add(s.whole(k) ? x.shape().dim(k) : Dim.of(s.length(k)));
        Node r = b.reshape(g, new Shape(kept)); // indexed axes back, of size 1
        List<Long> before = new ArrayList<>(Collections.nCopies(rank, 0L)), after = new ArrayList<>(Collections.nCopies(rank, 0L));
        for (int k = 0; k < rank; k++) {
            if (s.whole(k)) continue;
            long n = x.shape().dim(k).size(), start = s.start().get(k), step = s.step().get(k);
            long spread = s.length(k);
            if (step > 1 && s.length(k) > 1) {
                r = interleaveZeros(b, r, k, step);
                spread = Math.min(s.length(k) * step, n - start);
                r = b.slice(r, onAxis(r.shape(), k, 0, spread));
            }
            before.set(k, start);
            after.set(k, n - start - spread);
        }
        return b.pad(r, new Op.Pad(before, after));
    }

    /** ∂L/∂x of {@code y = pad(x)}: g where x went. */
    static Node ofPad(GraphBuilder b, Op.Pad p, Node x, Node g) {
        int rank = x.shape().rank();
        List<Long> start = new ArrayList<>(), stop = new ArrayList<>(), step = new ArrayList<>(Collections.nCopies(rank, 1L));
        for (int k = 0; k < rank; k++) {
            boolean padded = p.before().get(k) != 0 || p.after().get(k) != 0;
            start.add(padded ? p.before().get(k) : 0L);
            stop.add(padded ? p.before().get(k) + x.shape().dim(k).size() : -1L);
        }
        return b.slice(g, new Op.Slice(start, stop, step));
    }

    /** {@code [.., m, ..]} → {@code [.., m·step, ..]} along axis k: each element followed by step − 1 zeros. */
    private static Node interleaveZeros(GraphBuilder b, Node g, int k, long step) {
        Shape s = g.shape();
        List<Dim> split = new ArrayList<>(s.dims());
        split.add(k + 1, Dim.of(1));
        List<Long> before = new ArrayList<>(Collections.nCopies(s.rank() + 1, 0L)), after = new ArrayList<>(before);
        after.set(k + 1, step - 1);
        Node spread = b.pad(b.reshape(g, new Shape(split)), new Op.Pad(before, after));
        List<Dim> merged = new ArrayList<>(s.dims());
        merged.set(k, Dim.of(s.dim(k).size() * step));
        return b.reshape(spread, new Shape(merged));
    }

    /** Elements {@code from..to−1} of axis k, every other axis whole. */
    static Op.Slice onAxis(Shape s, int k, long from, long to) {
        List<Long> start = new ArrayList<>(Collections.nCopies(s.rank(), 0L)), stop = new ArrayList<>(Collections.nCopies(s.rank(), -1L));
        start.set(k, from);
        stop.set(k, to);
        return new Op.Slice(start, stop, Collections.nCopies(s.rank(), 1L));
    }
}

package nnc.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelAccess;
import nnc.kir.KernelPass;
import nnc.kir.KernelProgram;
import nnc.kir.MatrixViews;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * Folds the copies around batched products into the products' strides ({@link MatrixViews}):
 * attention splits its heads out of {@code [b, t, h·d]} with a transposing copy to
 * {@code [b, h, t, d]} before {@code Q·Kᵀ} and {@code P·V}, and merges them back with another after
 * (and the gradients do the same); a batched product can instead read each head's 32×16 matrix in
 * place (rows {@code h·d} apart) and write its result where the merge would have put it. The
 * {@code matmul-views} pass, before the merging passes (so the copies are still plain pointwise
 * kernels), on each entry's kernels (not a loop's body):
 * <ul>
 *   <li>a pointwise kernel that only loads one buffer Y (strides, no offset, no guard) into a
 *       temporary X over a rank-3 or rank-4 domain, last stride 1, whose every reader (until X is
 *       written again) is a batched product, with Y not written before the last of them: the
 *       products read Y through the copy's strides and the copy goes;</li>
 *   <li>a batched product whose temporary output X has one reader, a pointwise kernel that only
 *       loads X permuted (each axis of X at one axis of its domain, the last one's elements
 *       adjacent) into Z, with nothing in between touching Z: the product writes Z through the
 *       permutation's strides and the copy goes.</li>
 * </ul>
 * A product computes the same FMA chains wherever its matrices lie ({@code BatchedGemm}), so no
 * result bit changes. Measured on the encoder (branch attn, --profile, one core, load ~1.3): the
 * eight head copies cost 111 µs of a 2,987 µs step; with them folded the step took 2,876 µs (Q·Kᵀ
 * still gathers its two operands for Gemm's packing: 57 → 72 µs per call, the other products the same).
 */
public final class MatmulViews implements KernelPass {
    @Override public String name() { return "matmul-views"; }

    @Override public KernelProgram run(KernelProgram program) {
        Map<Kernel, Integer> lines = new HashMap<>(program.lines().byKernel());
        List<KernelProgram.Entry> entries = new ArrayList<>();
        boolean changed = false;
        for (KernelProgram.Entry e : program.entries()) {
            List<Kernel> ks = new ArrayList<>(e.kernels());
            boolean c = false;
            for (int j = 0; j < ks.size(); j++) c |= foldInput(ks, j, lines);
            for (int i = 0; i < ks.size(); i++) c |= foldOutput(ks, i, lines);
            ks.removeIf(k -> k == null);
            entries.add(c ? new KernelProgram.Entry(e.name(), ks) : e);
            changed |= c;
        }
        if (!changed) return program;
        return program.withEntries(entries).withLines(new KernelProgram.Lines(program.lines().file(), lines));
    }

    /** One operand's place while the views are being worked out: {@code heads} matrices to an outer step. */
    private record Place(int heads, int outer, int inner, int row) {
        /** This place with {@code h} heads to an outer step (only from one head, whose outer step is a matrix's). */
        Place withHeads(int h) {
            if (h == heads) return this;
            if (heads != 1) return null;
            return new Place(h, Math.multiplyExact(h, outer), outer, row);
        }
    }

    /** The copy at {@code j} folded into the products that read it, when it is one. */
    private static boolean foldInput(List<Kernel> ks, int j, Map<Kernel, Integer> lines) {
        if (!(ks.get(j) instanceof Kernel.Pointwise p) || !(p.value() instanceof KExpr.Load load)) return false;
        Buffer x = p.out(), y = load.buffer();
        if (!x.isTemp() || x == y || !load.offset().isEmpty() || load.guarded()) return false;
        Shape d = p.domain();
        int r = d.rank();
        if (r < 3 || r > 4 || !x.shape().numel().equals(d.numel())) return false;
        int[] s = constants(load.strides());
        if (s == null || s.length != r || s[r - 1] != 1) return false;
        int heads = r == 4 ? fixed(d.dim(1)) : 1;
        if (heads < 1) return false;
        Place place = new Place(heads, s[0], r == 4 ? s[1] : 0, s[r - 2]);
        List<Integer> readers = new ArrayList<>();
        for (int i = j + 1; i < ks.size(); i++) {
            Kernel k = ks.get(i);
            if (k == null) continue;
            boolean reads = KernelAccess.reads(k).contains(x), writes = KernelAccess.writes(k).contains(x);
            if (reads) {
                if (!(k instanceof Kernel.MatMul m) || !m.isBatched() || writes) return false;
                readers.add(i);
            }
            if (writes) break; // readers after this read another value
        }
        if (readers.isEmpty()) return false;
        int last = readers.get(readers.size() - 1);
        for (int i = j + 1; i < last; i++) if (ks.get(i) != null && KernelAccess.writes(ks.get(i)).contains(y)) return false;
        List<Kernel.MatMul> folded = new ArrayList<>();
        for (int i : readers) {
            Kernel.MatMul m = (Kernel.MatMul) ks.get(i);
            Kernel.MatMul f = withInput(m, x, y, d, place);
            if (f == null) return false;
            folded.add(f);
        }
        for (int n = 0; n < readers.size(); n++) replace(ks, readers.get(n), folded.get(n), lines);
        ks.set(j, null);
        return true;
    }

    /** The copy reading the output of the product at {@code i}, folded into it, when there is one. */
    private static boolean foldOutput(List<Kernel> ks, int i, Map<Kernel, Integer> lines) {
        if (!(ks.get(i) instanceof Kernel.MatMul m) || !m.isBatched()) return false;
        Buffer x = m.out();
        if (!x.isTemp()) return false;
        int copy = -1;
        for (int j = 0; j < ks.size(); j++) {
            Kernel k = ks.get(j);
            if (k == null || j == i) continue;
            if (KernelAccess.reads(k).contains(x)) {
                if (copy >= 0 || j < i) return false;
                copy = j;
            }
            if (KernelAccess.writes(k).contains(x)) return false;
        }
        if (copy < 0 || !(ks.get(copy) instanceof Kernel.Pointwise p) || !(p.value() instanceof KExpr.Load load)) return false;
        Buffer z = p.out();
        if (z == x || z == m.a() || z == m.b() || !load.offset().isEmpty() || load.guarded()) return false;
        for (int j = i + 1; j < copy; j++) {
            Kernel k = ks.get(j);
            if (k != null && (KernelAccess.reads(k).contains(z) || KernelAccess.writes(k).contains(z))) return false;
        }
        Shape xs = x.shape(), d = p.domain();
        int r = xs.rank();
        if (r < 3 || r > 4 || d.rank() != r || !z.shape().numel().equals(d.numel()) || !matrices(m, xs, m.m(), m.n())) return false;
        int[] s = constants(load.strides()), st = constants(xs.strides()), zst = constants(d.strides());
        if (s == null || st == null || zst == null) return false;
        int[] at = new int[r]; // the domain axis of each axis of x
        boolean[] used = new boolean[r];
        for (int a = 0; a < r; a++) {
            at[a] = -1;
            for (int b = 0; b < r; b++) {
                if (s[b] != st[a] || !d.dim(b).equals(xs.dim(a))) continue;
                if (at[a] >= 0 || used[b]) return false; // ambiguous
                at[a] = b;
            }
            if (at[a] < 0) return false;
            used[at[a]] = true;
        }
        if (zst[at[r - 1]] != 1) return false;
        int heads = r == 4 ? fixed(xs.dim(1)) : 1;
        if (heads < 1) return false;
        Place place = new Place(heads, zst[at[0]], r == 4 ? zst[at[1]] : 0, zst[at[r - 2]]);
        MatrixViews v = views(m);
        if (v == null) return false;
        int h = Math.max(v.heads(), heads);
        Place pa = place(v.a(), v.heads()).withHeads(h), pb = place(v.b(), v.heads()).withHeads(h), po = place.withHeads(h);
        if (pa == null || pb == null || po == null) return false;
        replace(ks, i, m.withViews(m.a(), m.b(), z, new MatrixViews(h, view(pa), view(pb), view(po))), lines);
        ks.set(copy, null);
        return true;
    }

    /** {@code m} reading {@code y} through {@code place} where it read {@code x}; null when the shapes do not fit. */
    private static Kernel.MatMul withInput(Kernel.MatMul m, Buffer x, Buffer y, Shape d, Place place) {
        int r = d.rank();
        MatrixViews v = views(m);
        if (v == null) return null;
        Place pa = place(v.a(), v.heads()), pb = place(v.b(), v.heads()), po = place(v.out(), v.heads());
        boolean a = m.a() == x, b = m.b() == x;
        Dim rowsA = m.transA() ? m.k() : m.m(), colsA = m.transA() ? m.m() : m.k();
        Dim rowsB = m.transB() ? m.n() : m.k(), colsB = m.transB() ? m.k() : m.n();
        if (a && !(d.dim(r - 2).equals(rowsA) && d.dim(r - 1).equals(colsA))) return null;
        if (b && !(d.dim(r - 2).equals(rowsB) && d.dim(r - 1).equals(colsB))) return null;
        if (!batchOf(d).equals(m.batch().asSize())) return null;
        int h = Math.max(v.heads(), place.heads());
        if (a) pa = place;
        if (b) pb = place;
        pa = pa.withHeads(h);
        pb = pb.withHeads(h);
        po = po.withHeads(h);
        if (pa == null || pb == null || po == null) return null;
        return m.withViews(a ? y : m.a(), b ? y : m.b(), m.out(), new MatrixViews(h, view(pa), view(pb), view(po)));
    }

    /** The product's views, or its matrices stored one after another (one head); null when its sizes are not fixed. */
    private static MatrixViews views(Kernel.MatMul m) {
        if (m.views() != null) return m.views();
        int mm = fixed(m.m()), n = fixed(m.n()), k = fixed(m.k());
        if (mm < 1 || n < 1 || k < 1) return null;
        return new MatrixViews(1, m.transA() ? MatrixViews.dense(1, k, mm) : MatrixViews.dense(1, mm, k),
                m.transB() ? MatrixViews.dense(1, n, k) : MatrixViews.dense(1, k, n), MatrixViews.dense(1, mm, n));
    }

    /** Whether {@code s}'s last two axes are rows × cols and the ones before them count the product's matrices. */
    private static boolean matrices(Kernel.MatMul m, Shape s, Dim rows, Dim cols) {
        int r = s.rank();
        return s.dim(r - 2).equals(rows) && s.dim(r - 1).equals(cols) && batchOf(s).equals(m.batch().asSize());
    }

    private static Size batchOf(Shape s) {
        Size b = Size.of(1);
        for (int a = 0; a < s.rank() - 2; a++) b = b.times(s.dim(a).asSize());
        return b;
    }

    private static Place place(MatrixViews.View v, int heads) { return new Place(heads, v.outer(), v.inner(), v.row()); }

    private static MatrixViews.View view(Place p) { return new MatrixViews.View(p.outer(), p.inner(), p.row()); }

    private static void replace(List<Kernel> ks, int i, Kernel k, Map<Kernel, Integer> lines) {
        Integer line = lines.get(ks.get(i));
        if (line != null) lines.putIfAbsent(k, line);
        ks.set(i, k);
    }

    /** The sizes as ints, or null when one is symbolic or too large. */
    private static int[] constants(List<Size> sizes) {
        int[] out = new int[sizes.size()];
        for (int i = 0; i < out.length; i++) {
            Size s = sizes.get(i);
            if (!s.isConstant() || s.constant() < 0 || s.constant() > Integer.MAX_VALUE / 2) return null;
            out[i] = (int) s.constant();
        }
        return out;
    }

    /** A fixed size as an int, or −1. */
    private static int fixed(Dim d) {
        return d instanceof Dim.Fixed f && f.size() <= Integer.MAX_VALUE / 2 ? (int) f.size() : -1;
    }
}

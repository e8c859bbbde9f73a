package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s path for an op(A) with many exact zeros (an image batch, a ReLU activation, a
 * gradient through a ReLU): each FMA chain runs only over the k where op(A) is non-zero (as in
 * SparseTrain, Gong et al. 2020, dynamic ReLU sparsity on general-purpose CPUs).
 *
 * <p><b>How.</b> For every row of op(A) and every K block (the blocks of {@link PackedGemm#kBlock}),
 * the ascending list of k with {@code op(A)[i][k] != 0} is built without branches: eight values are
 * compared with zero at once, and the mask's bit pattern selects, in a 256-entry table, the positions
 * of its set bits, stored as one 8-lane vector (a left-pack; the count advances by the mask's
 * population). A transposed A (a weight gradient Aᵀ·B, A stored [batch, features]) is read eight
 * features at a time along the batch, each feature's bits gathered into a word first. Then op(B) is
 * packed, one K block and 32 columns at a time, by {@link PackedGemm}'s packer (two 16-column panels,
 * 25 KB for a 196-step block: in L1), and two rows of C are computed together: 2 × 4 vector
 * accumulators, eight independent chains, each listed k costing one broadcast of op(A)'s value (read in
 * place), four loads of B and four FMAs. When the two rows' lists differ in length, the longer one
 * finishes alone.
 *
 * <p><b>Why the bits are those of the dense path.</b> The dense path computes each element as one FMA
 * chain per K block, from +0, over every k of the block in ascending order, the block sums added in
 * order ({@link Gemm}). This path uses the same blocks, the same order and the same final {@code C = t}
 * / {@code C = C + t}, and leaves out only the FMAs whose op(A) value is ±0. Such an FMA,
 * {@code fma(±0, b, t)} with finite b, is exact: it returns t when t ≠ 0, and a zero when t is a zero.
 * So at every step the skipped chain and the full chain hold the same value, or both hold a zero; and a
 * later FMA with a non-zero product gives the same value from either zero, while one with a zero product
 * gives a zero from either. The chain starts at +0, and a full chain can only reach −0 through a product
 * that underflows below the smallest subnormal (|t| &lt; 2⁻¹⁵⁰, i.e. values near 10⁻²³ multiplied):
 * {@code fma(±0, b, +0)} and every exact cancellation give +0. Hence C is bitwise the dense path's
 * for finite op(B) and no such underflow; with them, the sole possible difference is the sign of a zero
 * element. op(B) with ∞ or NaN where op(A) is zero would give NaN on the dense path and not here: the
 * dispatch in {@link Gemm} depends only on the data, so a given input always takes the same path and
 * repeats its bits, for any thread count (the threads split C by rows or columns; each element's chain
 * does not depend on the split).
 *
 * <p>Workspaces (lists, packed B, an edge tile) are per thread and grow to the largest product seen,
 * so the steady state allocates nothing. Loaded only when {@link VectorSupport#AVAILABLE}.
 */
final class ZeroSkipGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int NR = PackedGemm.NR;
    /** Columns of C computed together: two packed 16-column panels, four 8-lane vectors per row. */
    static final int W = 2 * NR;

    /** {@code LEFT_PACK[8·mask + j]}: the position of the j-th set bit of the 8-bit mask (0 past its population). */
    private static final int[] LEFT_PACK = leftPack();

    private ZeroSkipGemm() {}

    private static int[] leftPack() {
        int[] t = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++) {
            for (int bit = 0, j = 0; bit < 8; bit++) if ((mask >>> bit & 1) != 0) t[8 * mask + j++] = bit;
        }
        return t;
    }

    /** Lists, their block bounds, packed B and an edge tile, one set per thread. */
    private static final class Workspace {
        int[] lists = new int[0];
        float[] values = new float[0];
        int[] starts = new int[0];
        /** op(B)'s K block as {@link PackedGemm#packB} packs it: two 16-column panels. */
        final float[] panels = new float[PackedGemm.KC * W];
        /** The same values interleaved, step p's 32 values at {@code 32p}: one index per step, so the JIT checks one range for four loads. */
        final float[] packedB = new float[PackedGemm.KC * W];
        final float[] tile = new float[2 * W];
        final int[] words = new int[8];
        final int[] cursors = new int[8];

        /** Room for {@code rows} lists of up to {@code k} entries (plus a left-pack's overrun) and their block bounds. */
        void ensure(int rows, int k, int blocks) {
            long need = (long) rows * (k + 8);
            if (lists.length < need) {
                lists = new int[Math.toIntExact(need)];
                values = new float[lists.length];
            }
            if (starts.length < rows * (blocks + 1)) starts = new int[rows * (blocks + 1)];
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** How many of {@code a[off .. off+len)} are not ±0 (NaN counts as non-zero). */
    static int nonZeros(float[] a, int off, int len) {
        int count = 0, i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length())
            count += FloatVector.fromArray(S, a, off + i).compare(VectorOperators.NE, 0f).trueCount();
        for (; i < len; i++) count += a[off + i] != 0f ? 1 : 0;
        return count;
    }

    /**
     * Rows {@code [i0, i1)} and columns {@code [j0, j1)} of {@code C = op(A) · op(B)} (m, n, k the
     * whole product's sizes, layouts as in {@link Gemm#matmul}).
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int i0, int i1, int j0, int j1) {
        Workspace ws = WORKSPACE.get();
        int kb = PackedGemm.kBlock(k);
        int blocks = (k + kb - 1) / kb;
        int rows = i1 - i0;
        ws.ensure(rows, k, blocks);
        if (transA) listColumns(m, k, kb, blocks, a, aOff, i0, i1, ws);
        else listRows(k, kb, blocks, a, aOff, i0, i1, ws);
        int[] lists = ws.lists, starts = ws.starts;
        float[] values = ws.values, pb = ws.packedB;
        gatherValues(transA ? 1 : k, transA ? m : 1, kb, blocks, a, aOff, i0, rows, ws);
        for (int jc = j0; jc < j1; jc += W) {
            int nc = Math.min(W, j1 - jc);
            for (int q = 0, pc = 0; q < blocks; q++, pc += kb) {
                int kc = Math.min(kb, k - pc);
                boolean accumulate = q > 0;
                packB(transB, n, j1, k, b, bOff, pc, kc, jc, nc, ws.panels, pb);
                int r = 0;
                for (; r + 2 <= rows; r += 2) {
                    int s0 = r * (blocks + 1) + q, s1 = s0 + blocks + 1;
                    int ci = cOff + (i0 + r) * n + jc;
                    if (nc == W) {
                        pair(lists, values, starts[s0], starts[s0 + 1], starts[s1], starts[s1 + 1], pb, c, ci, ci + n, accumulate);
                    } else {
                        float[] tile = ws.tile;
                        if (accumulate) {
                            System.arraycopy(c, ci, tile, 0, nc);
                            System.arraycopy(c, ci + n, tile, W, nc);
                        }
                        pair(lists, values, starts[s0], starts[s0 + 1], starts[s1], starts[s1 + 1], pb, tile, 0, W, accumulate);
                        System.arraycopy(tile, 0, c, ci, nc);
                        System.arraycopy(tile, W, c, ci + n, nc);
                    }
                }
                if (r < rows) {
                    int s0 = r * (blocks + 1) + q;
                    int ci = cOff + (i0 + r) * n + jc;
                    if (nc == W) {
                        single(lists, values, starts[s0], starts[s0 + 1], pb, c, ci, accumulate);
                    } else {
                        float[] tile = ws.tile;
                        if (accumulate) System.arraycopy(c, ci, tile, 0, nc);
                        single(lists, values, starts[s0], starts[s0 + 1], pb, tile, 0, accumulate);
                        System.arraycopy(tile, 0, c, ci, nc);
                    }
                }
            }
        }
    }

    /**
     * Turns each listed k into what the kernels read: the op(A) value beside it in {@code values}, and
     * in place of k the offset of its step in the packed block of op(B), {@code 32·(k − pc)}.
     */
    private static void gatherValues(int rowStep, int pStep, int kb, int blocks, float[] a, int aOff, int i0, int rows, Workspace ws) {
        int[] lists = ws.lists, starts = ws.starts;
        float[] values = ws.values;
        for (int r = 0; r < rows; r++) {
            int row = aOff + (i0 + r) * rowStep, s = r * (blocks + 1);
            for (int q = 0, pc = 0; q < blocks; q++, pc += kb) {
                for (int i = starts[s + q], end = starts[s + q + 1]; i < end; i++) {
                    int p = lists[i];
                    values[i] = a[row + p * pStep];
                    lists[i] = W * (p - pc);
                }
            }
        }
    }

    /**
     * op(B)'s rows {@code [pc, pc+kc)} and columns {@code [jc, jc+nc)} (nc ≤ 32, zeros past column
     * {@code nEnd}) into {@code pb}, step p's 32 values at {@code 32p}: packed by {@link PackedGemm#packB}
     * (which reads every layout) as two 16-column panels, then interleaved.
     */
    private static void packB(boolean transB, int n, int nEnd, int k, float[] b, int bOff, int pc, int kc, int jc, int nc,
                              float[] panels, float[] pb) {
        if (!transB && nc == W) { // 32 values of one row of B per step: copied as they are
            for (int p = 0, src = bOff + pc * n + jc; p < kc; p++, src += n) {
                FloatVector.fromArray(S, b, src).intoArray(pb, W * p);
                FloatVector.fromArray(S, b, src + 8).intoArray(pb, W * p + 8);
                FloatVector.fromArray(S, b, src + 16).intoArray(pb, W * p + 16);
                FloatVector.fromArray(S, b, src + 24).intoArray(pb, W * p + 24);
            }
            return;
        }
        PackedGemm.packB(transB, n, nEnd, k, b, bOff, pc, kc, jc, nc, panels);
        if (nc <= NR) Arrays.fill(panels, NR * kc, W * kc, 0f);
        for (int p = 0, half = NR * kc; p < kc; p++) {
            FloatVector.fromArray(S, panels, NR * p).intoArray(pb, W * p);
            FloatVector.fromArray(S, panels, NR * p + 8).intoArray(pb, W * p + 8);
            FloatVector.fromArray(S, panels, half + NR * p).intoArray(pb, W * p + 16);
            FloatVector.fromArray(S, panels, half + NR * p + 8).intoArray(pb, W * p + 24);
        }
    }

    /**
     * The lists of rows {@code [i0, i1)} of an untransposed A (row i at {@code a[aOff + i·k]}): row r's
     * list starts at {@code r·(k+8)}, block q's part of it at {@code starts[r·(blocks+1) + q]}.
     */
    private static void listRows(int k, int kb, int blocks, float[] a, int aOff, int i0, int i1, Workspace ws) {
        int[] lists = ws.lists, starts = ws.starts;
        for (int r = 0, rows = i1 - i0; r < rows; r++) {
            int row = aOff + (i0 + r) * k;
            int at = r * (k + 8), s = r * (blocks + 1);
            for (int q = 0, pc = 0; q < blocks; q++, pc += kb) {
                starts[s + q] = at;
                int end = Math.min(k, pc + kb), p = pc;
                for (int vend = end - S.length(); p <= vend; p += S.length()) {
                    int mask = (int) FloatVector.fromArray(S, a, row + p).compare(VectorOperators.NE, 0f).toLong();
                    IntVector.fromArray(I, LEFT_PACK, 8 * mask).add(p).intoArray(lists, at);
                    at += Integer.bitCount(mask);
                }
                for (; p < end; p++) {
                    lists[at] = p;
                    at += a[row + p] != 0f ? 1 : 0;
                }
            }
            starts[s + blocks] = at;
        }
    }

    /**
     * The lists of rows {@code [i0, i1)} of op(A) = Aᵀ, A stored k×m (op(A)'s row i is A's column i):
     * eight columns at a time, each column's non-zero bits over up to 32 steps of a block gathered into a
     * word by vector compares along A's rows, then left-packed a byte at a time. Same layout as {@link #listRows}.
     */
    private static void listColumns(int m, int k, int kb, int blocks, float[] a, int aOff, int i0, int i1, Workspace ws) {
        int[] lists = ws.lists, starts = ws.starts, words = ws.words, cursors = ws.cursors;
        int rows = i1 - i0, r = 0;
        for (; r + 8 <= rows; r += 8) {
            for (int f = 0; f < 8; f++) cursors[f] = (r + f) * (k + 8);
            int col = aOff + i0 + r;
            for (int q = 0, pc = 0; q < blocks; q++, pc += kb) {
                for (int f = 0; f < 8; f++) starts[(r + f) * (blocks + 1) + q] = cursors[f];
                int end = Math.min(k, pc + kb);
                for (int p0 = pc; p0 < end; p0 += 32) {
                    int len = Math.min(32, end - p0);
                    IntVector bits = IntVector.zero(I);
                    for (int t = 0, at = col + p0 * m; t < len; t++, at += m) {
                        VectorMask<Integer> nz = FloatVector.fromArray(S, a, at).compare(VectorOperators.NE, 0f).cast(I);
                        bits = bits.lanewise(VectorOperators.OR, 1 << t, nz);
                    }
                    bits.intoArray(words, 0);
                    for (int f = 0; f < 8; f++) {
                        int word = words[f], at = cursors[f];
                        for (int byteStart = 0; byteStart < len; byteStart += 8) {
                            int mask = word >>> byteStart & 0xFF;
                            IntVector.fromArray(I, LEFT_PACK, 8 * mask).add(p0 + byteStart).intoArray(lists, at);
                            at += Integer.bitCount(mask);
                        }
                        cursors[f] = at;
                    }
                }
            }
            for (int f = 0; f < 8; f++) starts[(r + f) * (blocks + 1) + blocks] = cursors[f];
        }
        for (; r < rows; r++) { // the last few columns, one value at a time
            int col = aOff + i0 + r, at = r * (k + 8), s = r * (blocks + 1);
            for (int q = 0, pc = 0; q < blocks; q++, pc += kb) {
                starts[s + q] = at;
                for (int p = pc, end = Math.min(k, pc + kb); p < end; p++) {
                    lists[at] = p;
                    at += a[col + p * m] != 0f ? 1 : 0;
                }
            }
            starts[s + blocks] = at;
        }
    }

    /**
     * Two rows of C, 32 columns, over one K block: row 0's listed steps are {@code [s0, e0)} of
     * {@code lists} (offsets into the packed op(B) block {@code pb}) and {@code values} (op(A)'s values),
     * its C at {@code c0}; likewise row 1.
     */
    private static void pair(int[] lists, float[] values, int s0, int e0, int s1, int e1,
                             float[] pb, float[] c, int c0, int c1, boolean accumulate) {
        FloatVector x0, x1, x2, x3, y0, y1, y2, y3;
        x0 = x1 = x2 = x3 = y0 = y1 = y2 = y3 = FloatVector.zero(S);
        int common = Math.min(e0 - s0, e1 - s1);
        for (int t = 0; t < common; t++) {
            int bp = lists[s0 + t], bq = lists[s1 + t];
            FloatVector u = FloatVector.broadcast(S, values[s0 + t]);
            x0 = u.fma(FloatVector.fromArray(S, pb, bp), x0);
            x1 = u.fma(FloatVector.fromArray(S, pb, bp + 8), x1);
            x2 = u.fma(FloatVector.fromArray(S, pb, bp + 16), x2);
            x3 = u.fma(FloatVector.fromArray(S, pb, bp + 24), x3);
            FloatVector v = FloatVector.broadcast(S, values[s1 + t]);
            y0 = v.fma(FloatVector.fromArray(S, pb, bq), y0);
            y1 = v.fma(FloatVector.fromArray(S, pb, bq + 8), y1);
            y2 = v.fma(FloatVector.fromArray(S, pb, bq + 16), y2);
            y3 = v.fma(FloatVector.fromArray(S, pb, bq + 24), y3);
        }
        for (int i = s0 + common; i < e0; i++) {
            int bp = lists[i];
            FloatVector u = FloatVector.broadcast(S, values[i]);
            x0 = u.fma(FloatVector.fromArray(S, pb, bp), x0);
            x1 = u.fma(FloatVector.fromArray(S, pb, bp + 8), x1);
            x2 = u.fma(FloatVector.fromArray(S, pb, bp + 16), x2);
            x3 = u.fma(FloatVector.fromArray(S, pb, bp + 24), x3);
        }
        for (int i = s1 + common; i < e1; i++) {
            int bq = lists[i];
            FloatVector v = FloatVector.broadcast(S, values[i]);
            y0 = v.fma(FloatVector.fromArray(S, pb, bq), y0);
            y1 = v.fma(FloatVector.fromArray(S, pb, bq + 8), y1);
            y2 = v.fma(FloatVector.fromArray(S, pb, bq + 16), y2);
            y3 = v.fma(FloatVector.fromArray(S, pb, bq + 24), y3);
        }
        if (accumulate) { // C + this block's partial sums, as the dense kernels add them
            x0 = FloatVector.fromArray(S, c, c0).add(x0);
            x1 = FloatVector.fromArray(S, c, c0 + 8).add(x1);
            x2 = FloatVector.fromArray(S, c, c0 + 16).add(x2);
            x3 = FloatVector.fromArray(S, c, c0 + 24).add(x3);
            y0 = FloatVector.fromArray(S, c, c1).add(y0);
            y1 = FloatVector.fromArray(S, c, c1 + 8).add(y1);
            y2 = FloatVector.fromArray(S, c, c1 + 16).add(y2);
            y3 = FloatVector.fromArray(S, c, c1 + 24).add(y3);
        }
        x0.intoArray(c, c0);
        x1.intoArray(c, c0 + 8);
        x2.intoArray(c, c0 + 16);
        x3.intoArray(c, c0 + 24);
        y0.intoArray(c, c1);
        y1.intoArray(c, c1 + 8);
        y2.intoArray(c, c1 + 16);
        y3.intoArray(c, c1 + 24);
    }

    /** {@link #pair} for one row (an odd row count's last). */
    private static void single(int[] lists, float[] values, int s0, int e0, float[] pb, float[] c, int c0, boolean accumulate) {
        FloatVector x0, x1, x2, x3;
        x0 = x1 = x2 = x3 = FloatVector.zero(S);
        for (int i = s0; i < e0; i++) {
            int bp = lists[i];
            FloatVector u = FloatVector.broadcast(S, values[i]);
            x0 = u.fma(FloatVector.fromArray(S, pb, bp), x0);
            x1 = u.fma(FloatVector.fromArray(S, pb, bp + 8), x1);
            x2 = u.fma(FloatVector.fromArray(S, pb, bp + 16), x2);
            x3 = u.fma(FloatVector.fromArray(S, pb, bp + 24), x3);
        }
        if (accumulate) {
            x0 = FloatVector.fromArray(S, c, c0).add(x0);
            x1 = FloatVector.fromArray(S, c, c0 + 8).add(x1);
            x2 = FloatVector.fromArray(S, c, c0 + 16).add(x2);
            x3 = FloatVector.fromArray(S, c, c0 + 24).add(x3);
        }
        x0.intoArray(c, c0);
        x1.intoArray(c, c0 + 8);
        x2.intoArray(c, c0 + 16);
        x3.intoArray(c, c0 + 24);
    }
}

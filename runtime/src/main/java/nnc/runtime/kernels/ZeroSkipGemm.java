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
 * <p><b>How.</b> k is cut into segments: each K block of {@link PackedGemm#kBlock} into equal parts of
 * at most {@link #SEGMENT} steps. For every row of op(A) and every segment, the ascending list of k with
 * {@code op(A)[i][k] != 0} is built without branches: eight values are compared with zero at once, and
 * the mask's bit pattern selects, in a 256-entry table, the positions of its set bits, stored as one
 * 8-lane vector (a left-pack; the count advances by the mask's population). A transposed A (a weight
 * gradient Aᵀ·B, A stored [batch, features]) is read eight features at a time along the batch, each
 * feature's bits gathered into a word first. Each entry then gets its op(A) value beside it and, in
 * place of k, its offset in op(B)'s segment, which is packed 64 columns wide ({@link PackedGemm}'s
 * packer, four 16-column panels, interleaved so that one index serves eight loads: 24 KB, in L1). One
 * row of C, 64 columns, is eight independent vector chains; each listed k costs a broadcast, eight
 * loads of B and eight FMAs. A chain that goes on into the next segment of its K block is kept in a
 * scratch row meanwhile (a float stored and loaded back is the same float, so the cut changes no bit).
 * (Two rows × 32 columns, the same eight chains with one list each, was 10–15 % slower for Aᵀ·B: the
 * shorter of the two lists left the longer one to run alone at half the chains.)
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
    /** Columns of C computed together: four packed 16-column panels, eight 8-lane accumulators for one row. */
    static final int W = 4 * NR;
    /**
     * Longest segment of a K block: 96 steps of 64 packed columns are 24 KB, which stay in L1 while
     * every row runs over them. A longer block is cut into equal segments; a row's chain goes on from
     * one segment to the next through memory (a float stored and loaded back is the same float).
     */
    static final int SEGMENT = 96;

    /** Where a segment's chains end: in the scratch sums (the block goes on), or in C, stored or added. */
    private static final int TO_SCRATCH = 0, STORE = 1, ADD = 2;

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

    /** Lists, their segment bounds, packed B, scratch sums and an edge tile, one set per thread. */
    private static final class Workspace {
        int[] lists = new int[0];
        float[] values = new float[0];
        int[] starts = new int[0];
        float[] sums = new float[0];
        /** The segments' first steps (and k at the end), and their K blocks. */
        int[] bounds = new int[0], block = new int[0];
        /** op(B)'s segment as {@link PackedGemm#packB} packs it: four 16-column panels. */
        final float[] panels = new float[SEGMENT * W];
        /** The same values interleaved, step p's 64 values at {@code 64p}: one index per step, so the JIT checks one range for eight loads. */
        final float[] packedB = new float[SEGMENT * W];
        final float[] tile = new float[W];
        final int[] words = new int[8];
        final int[] cursors = new int[8];

        /**
         * Cuts k into segments (each K block of {@link PackedGemm#kBlock} into equal parts of at most
         * {@link #SEGMENT} steps), makes room for {@code rows} lists of up to k entries (plus a
         * left-pack's overrun) and their bounds; returns the number of segments.
         */
        int segment(int rows, int k) {
            int kb = PackedGemm.kBlock(k), blocks = (k + kb - 1) / kb;
            int parts = (kb + SEGMENT - 1) / SEGMENT, segs = 0;
            if (bounds.length < blocks * parts + 1) {
                bounds = new int[blocks * parts + 1];
                block = new int[blocks * parts];
            }
            for (int q = 0, pc = 0; q < blocks; q++, pc += kb) {
                int kc = Math.min(kb, k - pc), len = (kc + parts - 1) / parts;
                for (int p = pc; p < pc + kc; p += len, segs++) {
                    bounds[segs] = p;
                    block[segs] = q;
                }
            }
            bounds[segs] = k;
            long need = (long) rows * (k + 8);
            if (lists.length < need) {
                lists = new int[Math.toIntExact(need)];
                values = new float[lists.length];
            }
            if (starts.length < rows * (segs + 1)) starts = new int[rows * (segs + 1)];
            if (sums.length < rows * W) sums = new float[rows * W];
            return segs;
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
        int rows = i1 - i0;
        int segs = ws.segment(rows, k);
        int[] bounds = ws.bounds, block = ws.block;
        if (transA) listColumns(m, k, segs, bounds, a, aOff, i0, i1, ws);
        else listRows(k, segs, bounds, a, aOff, i0, i1, ws);
        gatherValues(transA ? 1 : k, transA ? m : 1, segs, bounds, a, aOff, i0, rows, ws);
        int[] lists = ws.lists, starts = ws.starts;
        float[] values = ws.values, pb = ws.packedB, sums = ws.sums, tile = ws.tile;
        for (int jc = j0; jc < j1; jc += W) {
            int nc = Math.min(W, j1 - jc);
            for (int g = 0; g < segs; g++) {
                int pc = bounds[g], kc = bounds[g + 1] - pc;
                boolean resume = g > 0 && block[g - 1] == block[g];
                int end = g + 1 < segs && block[g + 1] == block[g] ? TO_SCRATCH : block[g] == 0 ? STORE : ADD;
                packB(transB, n, j1, k, b, bOff, pc, kc, jc, nc, ws.panels, pb);
                for (int r = 0; r < rows; r++) {
                    int s = r * (segs + 1) + g;
                    int ci = cOff + (i0 + r) * n + jc;
                    if (nc == W || end == TO_SCRATCH) {
                        row(lists, values, starts[s], starts[s + 1], pb, sums, r * W, resume, c, ci, end);
                    } else { // a partial tile of C: through a full-width tile
                        if (end == ADD) System.arraycopy(c, ci, tile, 0, nc);
                        row(lists, values, starts[s], starts[s + 1], pb, sums, r * W, resume, tile, 0, end);
                        System.arraycopy(tile, 0, c, ci, nc);
                    }
                }
            }
        }
    }

    /**
     * Turns each listed k into what the kernel reads: the op(A) value beside it in {@code values}, and
     * in place of k the offset of its step in the packed segment of op(B), {@code 64·(k − first step)}.
     */
    private static void gatherValues(int rowStep, int pStep, int segs, int[] bounds, float[] a, int aOff, int i0, int rows, Workspace ws) {
        int[] lists = ws.lists, starts = ws.starts;
        float[] values = ws.values;
        for (int r = 0; r < rows; r++) {
            int row = aOff + (i0 + r) * rowStep, s = r * (segs + 1);
            for (int g = 0; g < segs; g++) {
                int pc = bounds[g];
                for (int i = starts[s + g], end = starts[s + g + 1]; i < end; i++) {
                    int p = lists[i];
                    values[i] = a[row + p * pStep];
                    lists[i] = W * (p - pc);
                }
            }
        }
    }

    /**
     * op(B)'s rows {@code [pc, pc+kc)} and columns {@code [jc, jc+nc)} (nc ≤ 64, zeros past column
     * {@code nEnd}) into {@code pb}, step p's 64 values at {@code 64p}: packed by {@link PackedGemm#packB}
     * (which reads every layout) as four 16-column panels, then interleaved.
     */
    private static void packB(boolean transB, int n, int nEnd, int k, float[] b, int bOff, int pc, int kc, int jc, int nc,
                              float[] panels, float[] pb) {
        if (!transB && nc == W) { // 64 values of one row of B per step: copied as they are
            for (int p = 0, src = bOff + pc * n + jc; p < kc; p++, src += n) {
                for (int v = 0; v < W; v += 8) FloatVector.fromArray(S, b, src + v).intoArray(pb, W * p + v);
            }
            return;
        }
        PackedGemm.packB(transB, n, nEnd, k, b, bOff, pc, kc, jc, nc, panels);
        int packed = (nc + NR - 1) / NR;
        Arrays.fill(panels, packed * NR * kc, W * kc, 0f);
        for (int p = 0; p < kc; p++) {
            for (int q = 0; q < W / NR; q++) {
                int from = q * NR * kc + NR * p, to = W * p + NR * q;
                FloatVector.fromArray(S, panels, from).intoArray(pb, to);
                FloatVector.fromArray(S, panels, from + 8).intoArray(pb, to + 8);
            }
        }
    }

    /**
     * The lists of rows {@code [i0, i1)} of an untransposed A (row i at {@code a[aOff + i·k]}): row r's
     * list starts at {@code r·(k+8)}, segment g's part of it at {@code starts[r·(segs+1) + g]}.
     */
    private static void listRows(int k, int segs, int[] bounds, float[] a, int aOff, int i0, int i1, Workspace ws) {
        int[] lists = ws.lists, starts = ws.starts;
        for (int r = 0, rows = i1 - i0; r < rows; r++) {
            int row = aOff + (i0 + r) * k;
            int at = r * (k + 8), s = r * (segs + 1);
            for (int g = 0; g < segs; g++) {
                starts[s + g] = at;
                int end = bounds[g + 1], p = bounds[g];
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
            starts[s + segs] = at;
        }
    }

    /**
     * The lists of rows {@code [i0, i1)} of op(A) = Aᵀ, A stored k×m (op(A)'s row i is A's column i):
     * eight columns at a time, each column's non-zero bits over up to 32 steps of a block gathered into a
     * word by vector compares along A's rows, then left-packed a byte at a time. Same layout as {@link #listRows}.
     */
    private static void listColumns(int m, int k, int segs, int[] bounds, float[] a, int aOff, int i0, int i1, Workspace ws) {
        int[] lists = ws.lists, starts = ws.starts, words = ws.words, cursors = ws.cursors;
        int rows = i1 - i0, r = 0;
        for (; r + 8 <= rows; r += 8) {
            for (int f = 0; f < 8; f++) cursors[f] = (r + f) * (k + 8);
            int col = aOff + i0 + r;
            for (int g = 0; g < segs; g++) {
                for (int f = 0; f < 8; f++) starts[(r + f) * (segs + 1) + g] = cursors[f];
                int end = bounds[g + 1];
                for (int p0 = bounds[g]; p0 < end; p0 += 32) {
                    int len = Math.min(32, end - p0);
                    IntVector bits = IntVector.zero(I);
                    for (int t = 0, at = col + p0 * m; t < len; t++, at += m) {
                        VectorMask<Integer> nz = FloatVector.fromArray(S, a, at).compare(VectorOperators.NE, 0f).cast(I);
                        // the new vector is the receiver, not the loop's bits: see VectorKernelSource.reduce
                        bits = IntVector.zero(I).blend(1 << t, nz).or(bits);
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
            for (int f = 0; f < 8; f++) starts[(r + f) * (segs + 1) + segs] = cursors[f];
        }
        for (; r < rows; r++) { // the last few columns, one value at a time
            int col = aOff + i0 + r, at = r * (k + 8), s = r * (segs + 1);
            for (int g = 0; g < segs; g++) {
                starts[s + g] = at;
                for (int p = bounds[g], end = bounds[g + 1]; p < end; p++) {
                    lists[at] = p;
                    at += a[col + p * m] != 0f ? 1 : 0;
                }
            }
            starts[s + segs] = at;
        }
    }

    /**
     * One row of C, 64 columns, over one segment: its listed steps are {@code [s, e)} of {@code lists}
     * (offsets into the packed op(B) segment {@code pb}) and {@code values} (op(A)'s values). The eight
     * chains start at zero, or go on from {@code sums[t..t+64)} ({@code resume}); they end in
     * {@code sums} ({@link #TO_SCRATCH}), or C at {@code ci} is set to them ({@link #STORE}) or has
     * them added ({@link #ADD}, as the dense kernels add a block's partial sums).
     */
    private static void row(int[] lists, float[] values, int s, int e, float[] pb, float[] sums, int t, boolean resume,
                            float[] c, int ci, int end) {
        FloatVector x0, x1, x2, x3, x4, x5, x6, x7;
        if (resume) {
            x0 = FloatVector.fromArray(S, sums, t);
            x1 = FloatVector.fromArray(S, sums, t + 8);
            x2 = FloatVector.fromArray(S, sums, t + 16);
            x3 = FloatVector.fromArray(S, sums, t + 24);
            x4 = FloatVector.fromArray(S, sums, t + 32);
            x5 = FloatVector.fromArray(S, sums, t + 40);
            x6 = FloatVector.fromArray(S, sums, t + 48);
            x7 = FloatVector.fromArray(S, sums, t + 56);
        } else {
            x0 = x1 = x2 = x3 = x4 = x5 = x6 = x7 = FloatVector.zero(S);
        }
        for (int i = s; i < e; i++) {
            int bp = lists[i];
            FloatVector u = FloatVector.broadcast(S, values[i]);
            x0 = u.fma(FloatVector.fromArray(S, pb, bp), x0);
            x1 = u.fma(FloatVector.fromArray(S, pb, bp + 8), x1);
            x2 = u.fma(FloatVector.fromArray(S, pb, bp + 16), x2);
            x3 = u.fma(FloatVector.fromArray(S, pb, bp + 24), x3);
            x4 = u.fma(FloatVector.fromArray(S, pb, bp + 32), x4);
            x5 = u.fma(FloatVector.fromArray(S, pb, bp + 40), x5);
            x6 = u.fma(FloatVector.fromArray(S, pb, bp + 48), x6);
            x7 = u.fma(FloatVector.fromArray(S, pb, bp + 56), x7);
        }
        if (end == TO_SCRATCH) {
            c = sums;
            ci = t;
        } else if (end == ADD) { // C + this block's partial sums
            x0 = FloatVector.fromArray(S, c, ci).add(x0);
            x1 = FloatVector.fromArray(S, c, ci + 8).add(x1);
            x2 = FloatVector.fromArray(S, c, ci + 16).add(x2);
            x3 = FloatVector.fromArray(S, c, ci + 24).add(x3);
            x4 = FloatVector.fromArray(S, c, ci + 32).add(x4);
            x5 = FloatVector.fromArray(S, c, ci + 40).add(x5);
            x6 = FloatVector.fromArray(S, c, ci + 48).add(x6);
            x7 = FloatVector.fromArray(S, c, ci + 56).add(x7);
        }
        x0.intoArray(c, ci);
        x1.intoArray(c, ci + 8);
        x2.intoArray(c, ci + 16);
        x3.intoArray(c, ci + 24);
        x4.intoArray(c, ci + 32);
        x5.intoArray(c, ci + 40);
        x6.intoArray(c, ci + 48);
        x7.intoArray(c, ci + 56);
    }
}

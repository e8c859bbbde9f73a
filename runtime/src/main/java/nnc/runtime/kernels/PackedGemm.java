package nnc.runtime.kernels;

import java.util.Arrays;

/**
 * The large-shape path of {@link Gemm}: Goto/BLIS blocking with packed panels and a 6×16
 * register-blocked micro-kernel (twelve 8-lane FMA accumulators: eight keep the two FMA ports just
 * busy for their 4-cycle latency, twelve leave slack; the 6-row kernels need the load fences described
 * in {@link PackedGemmVectors}, without which C2 spills accumulators and the kernel runs at less than
 * half its speed), K blocks of at most KC=256 (k is
 * cut into equal blocks: 784 = 4 × 196, not 3 × 256 + 16), MC=96, NC=512.
 *
 * <p>A block of op(B) (KC×NC) is packed into 16-column panels, a block of op(A) (MC×KC) into
 * 6-row panels, both zero-padded at the edges, so one micro-kernel serves every layout
 * (NN, NT, TN, TT): transposition only changes how the packers read (transposed B is packed by 8×8
 * register transposes). When op(A) has at most MC rows (a training batch), A is packed once per K
 * block and each B panel is packed just before the micro-kernel sweeps it over all rows, while it is
 * in L1. With at most two B panels ({@link #UNPACKED_A_MAX_COLUMNS}), whatever the rows, or up to
 * eight for a batch's forward product ({@link #readsAInPlace}), the kernel reads A's whole 6-row
 * panels in place instead; so does a product of many rows of an untransposed A over at most 16 B
 * panels ({@link #sweepsRowsInPlace}), with all of the B block packed first. The kernel's accumulators start at zero for
 * every K block and are then stored to C (the first block) or added to it, so each element of C is
 * the sum, in block order, of one FMA chain per K block ({@link #kBlock}; see {@link Gemm}). The
 * micro-kernels are {@link PackedGemmVectors}' when {@link VectorSupport#AVAILABLE}, else
 * {@link PackedGemmScalar}'s twins (same bits). Packing buffers are per thread and reused: the
 * steady state allocates nothing.
 */
final class PackedGemm {
    /** Whether the vector kernels run (else their scalar twins, same bits): fixed for the JVM, so the JIT folds the tests. */
    private static final boolean VECTORS = VectorSupport.AVAILABLE;
    static final int MR = 6;
    static final int NR = 16;
    static final int KC = 256;
    static final int MC = 96;
    static final int NC = 512;
    /**
     * Up to this many columns (two B panels) a product reads op(A) in place instead of packing it:
     * packing pays only when many panels reuse it. Measured (best of 2,000, one core): 32×32·32×16
     * and 32×16·16×32 (attention heads) 1.3–1.5× faster, 64×512·512×10 1.7×, the weight gradient
     * 512×64·64×10 (Aᵀ·B) 2.8×, 300×128·128×32 1.4×; at 16 or more panels the packed path stays
     * ahead (64×784·784×512: 90 against 80 GFLOP/s).
     */
    static final int UNPACKED_A_MAX_COLUMNS = 2 * 16;
    /**
     * Up to this many columns (eight B panels) a product of at most {@link #MC} rows of an untransposed
     * A over more than one K block also reads A in place: the forward product of a 128-unit layer over a
     * batch no longer packs its 25–50 k values of A per step. Measured (best of 60, one core, old and new
     * alternating five times, median of the five): 32×784·784×128 79.5 → 73.0 µs, 64×784·784×128
     * 148.0 → 132.0 µs. Shorter K and transposed A stay on the packed path (not measured conclusively).
     */
    static final int FEW_ROWS_UNPACKED_A_MAX_COLUMNS = 8 * 16;

    /**
     * Up to this many columns (sixteen B panels) a product of more than {@link #MC} rows of an untransposed
     * A packs all of op(B)'s block and reads A in place, each 6-row panel of A against every B panel in
     * turn ({@link #sweepsRowsInPlace}): packing A row by row (six scalar loads and stores per k step)
     * cost a fifth of the time of the encoder's products, whose A (512 rows) was packed to meet only
     * 4–16 B panels. Measured (GemmSpeed, one core, thread CPU time, medians of 11, old and new in
     * alternating JVMs twice, on ef157d6): 512×64·64×256 NN 65–66 → 85–86 GFLOP/s, NT 64–66 → 84–85,
     * 256×512·512×64 NN 66–67 → 82–83, 512×64·64×64 NN 66 → 83, 512×64·64×256 (N 256) NN 80 → 85,
     * 512×128·128×128 NN 78–79 → 85; at 512 columns it was not faster (512³ NN 83 → 75–83,
     * 784×64·64×512 85 → 80) and with Aᵀ (six values of a row of A per k step, a new cache line each
     * step) slower (512×64·64×256 TN 79 → 68–71), so both keep packing A.
     */
    static final int MANY_ROWS_UNPACKED_A_MAX_COLUMNS = 16 * 16;

    /** Whether a block of {@code rows} rows of op(A) and {@code nc} columns is computed A panel by A panel, A read in place against all of op(B) packed. */
    static boolean sweepsRowsInPlace(boolean transA, int rows, int nc) {
        return !transA && rows > MC && nc <= MANY_ROWS_UNPACKED_A_MAX_COLUMNS;
    }

    /** Whether op(A) is read in place rather than packed, for a block of {@code rows} rows and {@code nc} columns. */
    static boolean readsAInPlace(boolean transA, int rows, int nc, int k) {
        return nc <= UNPACKED_A_MAX_COLUMNS || !transA && rows <= MC && k > KC && nc <= FEW_ROWS_UNPACKED_A_MAX_COLUMNS;
    }

    /** Packing buffers and an edge tile, one set per thread. */
    private static final class Workspace {
        /** Eight floats of slack: {@link PackedGemmVectors#copy6}'s last store of a panel writes two values past it. */
        final float[] packedA = new float[MC * KC + 8];
        final float[] packedB = new float[KC * NC];
        final float[] tile = new float[MR * NR];
        /** The scalar twins' partial sums. */
        final float[] acc = new float[MR * NR];
    }

    /**
     * The length of every K block but the last (which may be shorter): {@code k} cut into
     * {@code ceil(k / KC)} blocks as equal as possible (784 = 4 × 196, not 3 × 256 + 16). A function of
     * {@code k} only, which {@link Gemm#direct} shares, so every path sums the same blocks.
     */
    static int kBlock(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private PackedGemm() {}

    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, 0, m, 0, n);
    }

    /**
     * Rows {@code [i0, i1)} and columns {@code [j0, j1)} of C only (each element's FMA chains are the
     * same as in a whole-matrix call, so splitting C by rows or columns over threads does not change a
     * bit). m, n and k are the whole product's sizes: they give the operands' layouts.
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int i0, int i1, int j0, int j1) {
        Workspace ws = WORKSPACE.get();
        float[] pa = ws.packedA;
        float[] pb = ws.packedB;
        int kcStep = kBlock(k);
        int rows = i1 - i0;
        int c0 = cOff + i0 * n;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                boolean accumulate = pc > 0;
                boolean inPlace = readsAInPlace(transA, rows, nc, k);
                if (rows <= MC && !inPlace) { // few rows: pack each B panel just before use, so it stays in L1
                    packA(transA, m, k, a, aOff, i0, rows, pc, kc, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        packB(transB, n, j1, k, b, bOff, pc, kc, jc + jr, nr, pb);
                        panel(kc, rows, pa, pb, 0, c, c0 + jc + jr, n, nr, accumulate, ws);
                    }
                    continue;
                }
                if (!inPlace && sweepsRowsInPlace(transA, rows, nc)) {
                    // All of op(B)'s block packed (at most 256×256 floats, in L2); each 6-row panel of op(A),
                    // read where it is, meets every B panel while its rows are in L1.
                    int whole = rows - lastRows(rows);
                    packB(transB, n, j1, k, b, bOff, pc, kc, jc, nc, pb);
                    if (whole < rows) packA(transA, m, k, a, aOff, i0 + whole, rows - whole, pc, kc, pa);
                    int rowStep = transA ? 1 : k, pStep = transA ? m : 1;
                    int a0 = aOff + pc * pStep + i0 * rowStep;
                    for (int ir = 0; ir < whole; ir += MR) {
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            int ci = c0 + jc + jr + ir * n;
                            if (nr == NR) kernelUnpackedA(kc, a, a0 + ir * rowStep, rowStep, pStep, pb, jr * kc, c, ci, n, accumulate, ws.acc);
                            else edgeUnpackedA(kc, a, a0 + ir * rowStep, rowStep, pStep, pb, jr * kc, c, ci, n, nr, accumulate, ws);
                        }
                    }
                    if (whole < rows) {
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            panel(kc, rows - whole, pa, pb, jr * kc, c, c0 + jc + jr + whole * n, n, nr, accumulate, ws);
                        }
                    }
                    continue;
                }
                if (inPlace) { // few B panels to reuse it: packing A would not pay
                    // Whole 6-row panels of op(A) are read where they are (six streams of broadcasts);
                    // only the rows past the last whole panel are packed (zero-padded to 6).
                    int whole = rows - lastRows(rows);
                    if (whole < rows) packA(transA, m, k, a, aOff, i0 + whole, rows - whole, pc, kc, pa);
                    int rowStep = transA ? 1 : k, pStep = transA ? m : 1;
                    int a0 = aOff + pc * pStep + i0 * rowStep;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        packB(transB, n, j1, k, b, bOff, pc, kc, jc + jr, nr, pb);
                        int ci = c0 + jc + jr;
                        if (nr == NR) {
                            for (int ir = 0; ir < whole; ir += MR)
                                kernelUnpackedA(kc, a, a0 + ir * rowStep, rowStep, pStep, pb, 0, c, ci + ir * n, n, accumulate, ws.acc);
                        } else {
                            for (int ir = 0; ir < whole; ir += MR)
                                edgeUnpackedA(kc, a, a0 + ir * rowStep, rowStep, pStep, pb, 0, c, ci + ir * n, n, nr, accumulate, ws);
                        }
                        if (whole < rows) panel(kc, rows - whole, pa, pb, 0, c, ci + whole * n, n, nr, accumulate, ws);
                    }
                    continue;
                }
                packB(transB, n, j1, k, b, bOff, pc, kc, jc, nc, pb);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(transA, m, k, a, aOff, ic, mc, pc, kc, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        panel(kc, mc, pa, pb, jr * kc, c, cOff + ic * n + jc + jr, n, nr, accumulate, ws);
                    }
                }
            }
        }
    }

    /** One packed B panel ({@code nr} ≤ 16 columns) times all {@code mc} packed rows of A, into C at {@code ci}. */
    private static void panel(int kc, int mc, float[] pa, float[] pb, int bi, float[] c, int ci, int ldc, int nr,
                              boolean accumulate, Workspace ws) {
        for (int q = 0, panels = panels(mc); q < panels; q++) {
            int ir = panelStart(q, mc), mr = panelRows(q, mc), ai = q * MR * kc;
            if (mr == MR && nr == NR) kernel(kc, pa, ai, pb, bi, c, ci + ir * ldc, ldc, accumulate, ws.acc);
            else if (mr == 4 && nr == NR) kernel4(kc, pa, ai, pb, bi, c, ci + ir * ldc, ldc, accumulate, ws.acc); // 64 = 10·6 + 4, 32 = 4·6 + 4 + 4
            else edge(kc, pa, ai, pb, bi, c, ci + ir * ldc, ldc, mr, nr, accumulate, ws);
        }
    }

    /**
     * Whether a block of {@code mc} rows ends in two 4-row panels instead of a 6-row and a 2-row one:
     * 6f + 2 rows (32, 512, 128…), where two {@link #kernel4} calls cost less than a 6-row kernel and
     * a 2-row edge tile.
     */
    private static boolean endsInFours(int mc) { return mc % MR == 2 && mc >= 8; }

    /** Row panels of a block of {@code mc} rows; panel q is packed at {@code q·MR·kc}. */
    static int panels(int mc) { return endsInFours(mc) ? mc / MR + 1 : (mc + MR - 1) / MR; }

    /** First row of panel q. */
    static int panelStart(int q, int mc) { return endsInFours(mc) && q == mc / MR ? mc - 4 : q * MR; }

    /** Rows of panel q (at most {@link #MR}). */
    static int panelRows(int q, int mc) {
        if (endsInFours(mc)) return q < mc / MR - 1 ? MR : 4;
        return Math.min(MR, mc - q * MR);
    }

    /** Rows of an {@code m}-row operand past its last whole 6-row panel, as {@link #panels} splits them: 0–5, or 8. */
    private static int lastRows(int m) { return endsInFours(m) ? 8 : m % MR;
    }

    /** A partial tile: run the full kernel on a 6×16 scratch tile, copy the valid part. */
    private static void edge(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc,
                             int mr, int nr, boolean accumulate, Workspace ws) {
        float[] tile = ws.tile;
        if (accumulate) {
            for (int r = 0; r < mr; r++) System.arraycopy(c, ci + r * ldc, tile, r * NR, nr);
        }
        kernel(kc, pa, ai, pb, bi, tile, 0, NR, accumulate, ws.acc);
        for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, ci + r * ldc, nr);
    }

    /** {@link #edge} for {@link #kernelUnpackedA}: a partial-width tile through the scratch tile. */
    private static void edgeUnpackedA(int kc, float[] a, int ai, int rowStep, int pStep, float[] pb, int bi, float[] c, int ci, int ldc,
                                      int nr, boolean accumulate, Workspace ws) {
        float[] tile = ws.tile;
        if (accumulate) {
            for (int r = 0; r < MR; r++) System.arraycopy(c, ci + r * ldc, tile, r * NR, nr);
        }
        kernelUnpackedA(kc, a, ai, rowStep, pStep, pb, bi, tile, 0, NR, accumulate, ws.acc);
        for (int r = 0; r < MR; r++) System.arraycopy(tile, r * NR, c, ci + r * ldc, nr);
    }

    /** A 6×16 tile over one K block ({@link PackedGemmVectors#kernel} or its scalar twin). */
    private static void kernel(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc, boolean accumulate, float[] acc) {
        if (VECTORS) PackedGemmVectors.kernel(kc, pa, ai, pb, bi, c, ci, ldc, accumulate);
        else PackedGemmScalar.kernel(kc, MR, pa, ai, 1, MR, pb, bi, c, ci, ldc, accumulate, acc);
    }

    /** A 4×16 tile over one K block ({@link PackedGemmVectors#kernel4} or its scalar twin). */
    private static void kernel4(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc, boolean accumulate, float[] acc) {
        if (VECTORS) PackedGemmVectors.kernel4(kc, pa, ai, pb, bi, c, ci, ldc, accumulate);
        else PackedGemmScalar.kernel(kc, 4, pa, ai, 1, MR, pb, bi, c, ci, ldc, accumulate, acc);
    }

    /** A 6×16 tile over one K block with op(A) read in place ({@link PackedGemmVectors#kernelUnpackedA} or its scalar twin). */
    private static void kernelUnpackedA(int kc, float[] a, int ai, int rowStep, int pStep, float[] pb, int bi,
                                        float[] c, int ci, int ldc, boolean accumulate, float[] acc) {
        if (VECTORS) PackedGemmVectors.kernelUnpackedA(kc, a, ai, rowStep, pStep, pb, bi, c, ci, ldc, accumulate);
        else PackedGemmScalar.kernel(kc, MR, a, ai, rowStep, pStep, pb, bi, c, ci, ldc, accumulate, acc);
    }

    /**
     * Packs op(B)[pc..pc+kc) × [jc..jc+nc) into 16-column panels: panel q holds, for each p, the
     * 16 values op(B)[pc+p][jc+16q .. jc+16q+15] (zeros past column nEnd; n is op(B)'s width).
     */
    static void packB(boolean transB, int n, int nEnd, int k, float[] b, int bOff,
                              int pc, int kc, int jc, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int j0 = jc + jr;
            int w = Math.min(NR, nEnd - j0);
            int dst = jr * kc;
            if (!transB) {
                int src = bOff + pc * n + j0;
                if (w == NR) {
                    for (int p = 0; p < kc; p++, src += n, dst += NR) {
                        if (VECTORS) PackedGemmVectors.copy16(b, src, pb, dst);
                        else System.arraycopy(b, src, pb, dst, NR);
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += n, dst += NR) {
                        System.arraycopy(b, src, pb, dst, w);
                        Arrays.fill(pb, dst + w, dst + NR, 0f);
                    }
                }
            } else if (w == NR) {
                int src = bOff + j0 * k + pc;
                int p8 = kc & ~7;
                for (int p = 0; p < p8; p += 8) {
                    if (VECTORS) {
                        PackedGemmVectors.transpose8(b, src + p, k, pb, dst + p * NR);
                        PackedGemmVectors.transpose8(b, src + 8 * k + p, k, pb, dst + p * NR + 8);
                    } else {
                        PackedGemmScalar.transpose8(b, src + p, k, pb, dst + p * NR);
                        PackedGemmScalar.transpose8(b, src + 8 * k + p, k, pb, dst + p * NR + 8);
                    }
                }
                for (int jj = 0; jj < NR; jj++) {
                    int row = src + jj * k;
                    for (int p = p8; p < kc; p++) pb[dst + p * NR + jj] = b[row + p];
                }
            } else {
                int src = bOff + j0 * k + pc;
                for (int p = 0; p < kc; p++, dst += NR) {
                    for (int jj = 0, s = src + p; jj < NR; jj++, s += k) pb[dst + jj] = jj < w ? b[s] : 0f;
                }
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc) × [pc..pc+kc) into 6-row panels: panel q holds, for each p, the 6
     * values op(A)[ic+6q .. ic+6q+5][pc+p] (zeros past row m).
     */
    private static void packA(boolean transA, int m, int k, float[] a, int aOff,
                              int ic, int mc, int pc, int kc, float[] pa) {
        for (int q = 0, panels = panels(mc); q < panels; q++) {
            int i0 = ic + panelStart(q, mc);
            int h = panelRows(q, mc);
            int dst = q * MR * kc;
            if (!transA && h == MR) {
                int s0 = aOff + i0 * k + pc;
                int s1 = s0 + k;
                int s2 = s1 + k;
                int s3 = s2 + k;
                int s4 = s3 + k;
                int s5 = s4 + k;
                for (int p = 0; p < kc; p++, dst += MR) {
                    pa[dst] = a[s0 + p];
                    pa[dst + 1] = a[s1 + p];
                    pa[dst + 2] = a[s2 + p];
                    pa[dst + 3] = a[s3 + p];
                    pa[dst + 4] = a[s4 + p];
                    pa[dst + 5] = a[s5 + p];
                }
            } else if (transA && h == MR) { // op(A)'s 6 rows are 6 contiguous values of each row of A
                int src = aOff + pc * m + i0;
                int p = 0;
                if (VECTORS) {
                    for (int last = a.length - 8; p < kc && src <= last; p++, src += m, dst += MR) PackedGemmVectors.copy6(a, src, pa, dst);
                }
                for (; p < kc; p++, src += m, dst += MR) {
                    pa[dst] = a[src];
                    pa[dst + 1] = a[src + 1];
                    pa[dst + 2] = a[src + 2];
                    pa[dst + 3] = a[src + 3];
                    pa[dst + 4] = a[src + 4];
                    pa[dst + 5] = a[src + 5];
                }
            } else if (!transA) {
                int src = aOff + i0 * k + pc;
                for (int p = 0; p < kc; p++, dst += MR) {
                    for (int r = 0; r < MR; r++) pa[dst + r] = r < h ? a[src + r * k + p] : 0f;
                }
            } else {
                int src = aOff + pc * m + i0;
                for (int p = 0; p < kc; p++, src += m, dst += MR) {
                    for (int r = 0; r < MR; r++) pa[dst + r] = r < h ? a[src + r] : 0f;
                }
            }
        }
    }
}

package nnc.runtime.kernels;

/**
 * The path of {@link Gemm} for a narrow C: 5 to 16 columns (a 10-class output layer's forward
 * product X·W and weight gradient Xᵀ·dY). C's rows are computed in blocks of six (n > 8: two 8-lane
 * vectors per row) or eight (n ≤ 8: one vector per row), all of a row's columns in registers, op(A)
 * read in place (six or eight streams of broadcasts) and op(B) too when it is not transposed and n > 8
 * (its row p is n contiguous floats, loaded as the vectors over columns [0, 8) and [n − 8, n), no lane
 * mask: see {@link NarrowGemmVectors}); a transposed
 * B is copied to a dense k×n scratch block per K block (and for n ≤ 8, where the 8-lane loads run past
 * a row, any op(B)). {@link PackedGemm} served these through a 16-column panel packed per K block and,
 * for n &lt; 16, a scratch tile per 6-row block. Measured against it ({@code NarrowGemmSpeed}, old and new
 * runtime jars in alternating JVMs, five rounds, medians of per-call times, pinned to one core of a
 * loaded 2-core Zen 3, branch smalln): the output layer of 784-128-10 at batch 32, X·W 32×10·(128)
 * 4.02 → 1.82 µs, Xᵀ·dY 128×10·(32) 2.97 → 1.87; of 784-512-512-10 at batch 64, 64×10·(512)
 * 19.9 → 14.1, 512×10·(64) 17.0 → 15.5; widths 5, 8, 12: 32×n·(128) 3.4–3.5 → 1.6–1.8 µs. In
 * fashion_mlp's training step ({@code nnc bench --profile}, batch 32, one thread, three alternating
 * rounds, medians): X·W 5.1 → 2.6 µs, Xᵀ·dY 4.9 → 3.6. Many rows and several K blocks gain little
 * (300×10·(600) 87.5 / 86.5 µs): there the FMAs dominate, two per row and k step on either path.
 *
 * <p>Each element of C is the same sum of one FMA chain per K block of {@link PackedGemm#kBlock} as on
 * every other path: the chain starts from zero for each K block and is stored to C (first block) or
 * added to it. Any range of C's rows gives the same bits (threads split a narrow product by rows);
 * kernels write only the rows of their block. {@link NarrowGemmVectors}, or without the Vector API
 * {@link NarrowGemmScalar}'s twin.
 */
final class NarrowGemm {
    /** Whether the vector kernels run (else the scalar twin, same bits): fixed for the JVM, so the JIT folds the tests. */
    private static final boolean VECTORS = VectorSupport.AVAILABLE;
    /** The narrowest C this path computes: narrower ones run {@link Gemm#direct} or padded panels. */
    static final int NARROW_MIN_COLUMNS = 5;
    /** The widest C this path computes: two 8-lane vectors per row. */
    static final int NARROW_MAX_COLUMNS = 16;

    /** Per-thread buffers: a K block of op(B) copied dense (kc × n, then 8 floats of slack), and a row's last vector. */
    private static final class Workspace {
        final float[] copiedB = new float[PackedGemm.KC * NARROW_MAX_COLUMNS + 8];
        final float[] tile = new float[8];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private NarrowGemm() {}

    /**
     * The most rows for which a C of exactly 16 columns takes this path: there {@link PackedGemm}'s panel
     * has no padding, and for many rows (A read in place against all of op(B) packed, a kernel whose op(B)
     * stride is a constant) it was faster: 300×16·(600) NN 71.6 against 86.8 µs, 300×16·(256) 28.4 against
     * 34.3, Aᵀ·B 600×16·(300) 76.8 against 91.4; with few rows this path was: 32×16·(128) 2.26 → 1.79 µs,
     * 64×16·(600) 19.3 → 17.3, Aᵀ·B 128×16·(32) 2.56 → 1.82 (A/B in alternating JVMs, thread CPU time,
     * medians, loaded host, branch smalln). For n &lt; 16 many rows ran as fast as on the panels
     * (300×10·(600) NN 87.5 / 86.5 µs, 300×12·(600) 83.1 / 85.8, Aᵀ·B 600×10·(300) 87.1 / 89.4) and
     * fewer rows faster, so this path takes them all.
     */
    static final int FULL_WIDTH_MAX_ROWS = 128;

    /** Whether a product of C's shape m×n takes this path: a function of the shape only. */
    static boolean computes(int m, int n) {
        return n >= NARROW_MIN_COLUMNS && (n < NARROW_MAX_COLUMNS || n == NARROW_MAX_COLUMNS && m <= FULL_WIDTH_MAX_ROWS);
    }

    /**
     * Rows {@code [i0, i1)} of C (all n columns) = op(A) · op(B); m, n, k are the whole product's sizes
     * (they give the operands' layouts). C's other rows are not written.
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int i0, int i1) {
        int kb = PackedGemm.kBlock(k);
        int rowStep = transA ? 1 : k, pStep = transA ? m : 1;
        Workspace ws = WORKSPACE.get();
        for (int pc = 0; pc < k; pc += kb) {
            int kc = Math.min(kb, k - pc);
            float[] bb = b;
            int bi = bOff + pc * n;
            if (transB) { // op(B)'s rows are not contiguous: a dense copy of the block
                transpose(b, bOff + pc, k, n, kc, ws.copiedB);
                bb = ws.copiedB;
                bi = 0;
            } else if (n <= 8) { // the 8-lane loads read 8 − n floats past the block's last row: a copy with slack
                System.arraycopy(b, bi, ws.copiedB, 0, kc * n);
                bb = ws.copiedB;
                bi = 0;
            }
            rowBlocks(kc, a, aOff + pc * pStep, rowStep, pStep, bb, bi, c, cOff, n, i0, i1, pc > 0, ws.tile);
        }
    }

    /** dst[p·n + j] = b[src + j·k + p] for p < kc, j < n: a K block of op(B) = Bᵀ, dense. */
    private static void transpose(float[] b, int src, int k, int n, int kc, float[] dst) {
        for (int j = 0; j < n; j++)
            for (int p = 0, s = src + j * k; p < kc; p++) dst[p * n + j] = b[s + p];
    }

    /**
     * Rows [i0, i1) over one K block: blocks of six (eight for n ≤ 8) rows, then of four, then single
     * rows. A remainder of two or three rows after sixes takes the last six with it as 4 + 4 (+ 1):
     * 32 = 6·4 + 4 + 4, 128 = 6·20 + 4 + 4, 512 = 6·84 + 4 + 4, so no row runs alone.
     */
    private static void rowBlocks(int kc, float[] a, int a0, int rowStep, int pStep, float[] b, int bi,
                                  float[] c, int cOff, int n, int i0, int i1, boolean accumulate, float[] tile) {
        boolean wide = n > 8;
        int big = wide ? 6 : 8;
        int rows = i1 - i0, bigs = rows / big, left = rows % big;
        if (wide && bigs > 0 && (left == 2 || left == 3)) {
            bigs--;
            left += big;
        }
        int i = i0;
        for (int q = 0; q < bigs; q++, i += big) block(kc, big, wide, a, a0 + i * rowStep, rowStep, pStep, b, bi, c, cOff + i * n, n, accumulate, tile);
        for (; left >= 4; left -= 4, i += 4) block(kc, 4, wide, a, a0 + i * rowStep, rowStep, pStep, b, bi, c, cOff + i * n, n, accumulate, tile);
        for (; left > 0; left--, i++) block(kc, 1, wide, a, a0 + i * rowStep, rowStep, pStep, b, bi, c, cOff + i * n, n, accumulate, tile);
    }

    /** One block of {@code rows} (8, 6, 4 or 1) rows through the matching kernel, or the scalar twin. */
    private static void block(int kc, int rows, boolean wide, float[] a, int ai, int rowStep, int pStep, float[] b, int bi,
                              float[] c, int ci, int n, boolean accumulate, float[] tile) {
        if (!VECTORS) {
            NarrowGemmScalar.rows(kc, rows, a, ai, rowStep, pStep, b, bi, n, c, ci, n, accumulate);
        } else if (wide) {
            if (rows == 6) NarrowGemmVectors.rows6x16(kc, a, ai, rowStep, pStep, b, bi, n, c, ci, n, accumulate);
            else if (rows == 4) NarrowGemmVectors.rows4x16(kc, a, ai, rowStep, pStep, b, bi, n, c, ci, n, accumulate);
            else NarrowGemmVectors.rows1x16(kc, a, ai, rowStep, pStep, b, bi, n, c, ci, n, accumulate);
        } else {
            if (rows == 8) NarrowGemmVectors.rows8x8(kc, a, ai, rowStep, pStep, b, bi, n, c, ci, n, accumulate, tile);
            else if (rows == 4) NarrowGemmVectors.rows4x8(kc, a, ai, rowStep, pStep, b, bi, n, c, ci, n, accumulate, tile);
            else NarrowGemmVectors.rows1x8(kc, a, ai, rowStep, pStep, b, bi, n, c, ci, n, accumulate, tile);
        }
    }
}

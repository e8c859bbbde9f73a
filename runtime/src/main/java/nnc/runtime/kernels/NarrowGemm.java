package nnc.runtime.kernels;

/**
 * The path of {@link Gemm} for a narrow C: 5 to 16 columns (a 10-class output layer's forward
 * product X·W and weight gradient Xᵀ·dY). C's rows are computed in blocks of six (n > 8: two 8-lane
 * vectors per row) or eight (n ≤ 8: one vector per row), all of a row's columns in registers, op(A)
 * read in place (six or eight streams of broadcasts) and op(B) too when it is not transposed (its row
 * p is n contiguous floats, loaded as one or two vectors, the last through a lane mask); a transposed
 * B is copied to a dense k×n scratch block per K block. {@link PackedGemm} served these through a
 * 16-column panel packed per K block and, for n < 16, a scratch tile per 6-row block: two thirds of
 * the time of 32×10·(128) went to packing, tile copies and per-call set-up (see
 * {@link #NARROW_MIN_COLUMNS} for the measured gain).
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

    /** Whether a product of C's width {@code n} takes this path: a function of the shape only. */
    static boolean computes(int n) {
        return n >= NARROW_MIN_COLUMNS && n <= NARROW_MAX_COLUMNS;
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

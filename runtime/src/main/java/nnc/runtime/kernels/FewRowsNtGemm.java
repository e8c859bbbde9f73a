package nnc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A·Bᵀ} for few rows (op(A) = A with at most {@link PackedGemm#MC} rows, a training batch;
 * the backward pass's {@code dY·Wᵀ}), with the vectors running down the columns of C instead of
 * along its rows. {@link PackedGemm} would transpose every 16-row panel of B into 16-column panels
 * (8×8 register transposes over all of B, about a tenth of the time at 64×784·784×512); here A —
 * the small operand — is transposed once into 16-row panels, and B is read as it is: six of its
 * rows at a time, each a sequential stream of broadcasts, kept in L1 while every row panel of A
 * passes over them. The micro-kernel keeps a 16×6 block of C in twelve 8-lane accumulators.
 * <p>
 * Each element of C is still one FMA chain {@code c = fma(A[i][p], B[j][p], c)} over p = 0..k−1 in
 * order, from 0: the same bits as {@link PackedGemm} and as the exact reference (see {@link Gemm}).
 * The packing buffer is per thread and grows to the largest product seen: the steady state
 * allocates nothing.
 */
final class FewRowsNtGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Rows of C per kernel call: two vectors. */
    static final int MV = 16;
    /** Columns of C per kernel call: rows of B read at once. */
    static final int NB = 6;

    private static final class Workspace {
        float[] packedA = new float[0];
        final float[] tile = new float[MV * NB];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private FewRowsNtGemm() {}

    /** Columns {@code [j0, j1)} of {@code C [m, n] = A [m, k] · B [n, k]ᵀ}. */
    static void multiply(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int j0, int j1) {
        Workspace ws = WORKSPACE.get();
        int blocks = (m + MV - 1) / MV;
        if (ws.packedA.length < blocks * MV * k) ws.packedA = new float[blocks * MV * k];
        float[] pa = ws.packedA;
        float[] tile = ws.tile;
        packTransposed(m, k, a, aOff, pa);
        int last = j1 - 1;
        for (int j = j0; j < j1; j += NB) {
            int nb = Math.min(NB, j1 - j);
            // the rows of B for these columns; past j1, the last row again (its results are not stored)
            int r0 = bOff + j * k;
            int r1 = bOff + Math.min(j + 1, last) * k;
            int r2 = bOff + Math.min(j + 2, last) * k;
            int r3 = bOff + Math.min(j + 3, last) * k;
            int r4 = bOff + Math.min(j + 4, last) * k;
            int r5 = bOff + Math.min(j + 5, last) * k;
            for (int blk = 0; blk < blocks; blk++) {
                kernel(k, pa, blk * MV * k, b, r0, r1, r2, r3, r4, r5, tile);
                int i0 = blk * MV, rows = Math.min(MV, m - i0);
                for (int jj = 0; jj < nb; jj++)
                    for (int ii = 0; ii < rows; ii++) c[cOff + (i0 + ii) * n + j + jj] = tile[jj * MV + ii];
            }
        }
    }

    /** {@code pa[(blk·k + p)·16 + ii] = A[16·blk + ii][p]}, zeros past row m. */
    private static void packTransposed(int m, int k, float[] a, int aOff, float[] pa) {
        int blocks = (m + MV - 1) / MV;
        for (int blk = 0; blk < blocks; blk++) {
            int base = blk * MV * k;
            for (int ii = 0; ii < MV; ii++) {
                int i = blk * MV + ii;
                if (i < m) {
                    int src = aOff + i * k;
                    for (int p = 0, dst = base + ii; p < k; p++, dst += MV) pa[dst] = a[src + p];
                } else {
                    for (int p = 0, dst = base + ii; p < k; p++, dst += MV) pa[dst] = 0f;
                }
            }
        }
    }

    /**
     * The 16×6 block of C whose rows are the packed panel at {@code ai} and whose columns are the
     * rows of B at {@code r0..r5}, into {@code tile} column by column ({@code tile[jj·16 + ii]}).
     * Straight-line: twelve accumulators, one induction variable.
     */
    private static void kernel(int k, float[] pa, int ai, float[] b, int r0, int r1, int r2, int r3, int r4, int r5, float[] tile) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ap = ai + p * MV;
            FloatVector a0 = FloatVector.fromArray(S, pa, ap);
            FloatVector a1 = FloatVector.fromArray(S, pa, ap + 8);
            FloatVector b0 = FloatVector.broadcast(S, b[r0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a1.fma(b0, c01);
            FloatVector b1 = FloatVector.broadcast(S, b[r1 + p]);
            c10 = a0.fma(b1, c10);
            c11 = a1.fma(b1, c11);
            FloatVector b2 = FloatVector.broadcast(S, b[r2 + p]);
            c20 = a0.fma(b2, c20);
            c21 = a1.fma(b2, c21);
            FloatVector b3 = FloatVector.broadcast(S, b[r3 + p]);
            c30 = a0.fma(b3, c30);
            c31 = a1.fma(b3, c31);
            FloatVector b4 = FloatVector.broadcast(S, b[r4 + p]);
            c40 = a0.fma(b4, c40);
            c41 = a1.fma(b4, c41);
            FloatVector b5 = FloatVector.broadcast(S, b[r5 + p]);
            c50 = a0.fma(b5, c50);
            c51 = a1.fma(b5, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 8);
        c10.intoArray(tile, 16);
        c11.intoArray(tile, 24);
        c20.intoArray(tile, 32);
        c21.intoArray(tile, 40);
        c30.intoArray(tile, 48);
        c31.intoArray(tile, 56);
        c40.intoArray(tile, 64);
        c41.intoArray(tile, 72);
        c50.intoArray(tile, 80);
        c51.intoArray(tile, 88);
    }
}

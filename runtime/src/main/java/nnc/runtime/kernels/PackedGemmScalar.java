package nnc.runtime.kernels;

import java.util.Arrays;

/**
 * The scalar twins of {@link PackedGemmVectors}' kernels, run when {@link VectorSupport#AVAILABLE} is
 * false: the same FMA chains from zero over a K block, the same {@code C + acc} at its end, so the
 * same bits, in plain loops that touch no {@code jdk.incubator.vector} class.
 */
final class PackedGemmScalar {
    private static final int NR = PackedGemm.NR;

    private PackedGemmScalar() {}

    /**
     * C[rows×16] at {@code ci} (row stride {@code ldc}) = (accumulate ? C : 0) + op(A) · Bpanel over
     * {@code kc} steps: row r, step p of op(A) at {@code a[ai + r·aRow + p·aStep]} (packed panels:
     * aRow 1, aStep 6), step p of the B panel at {@code pb[bi + 16p]}; {@code acc} holds the partial
     * sums (at least {@code 16·rows} floats).
     */
    static void kernel(int kc, int rows, float[] a, int ai, int aRow, int aStep, float[] pb, int bi,
                       float[] c, int ci, int ldc, boolean accumulate, float[] acc) {
        Arrays.fill(acc, 0, rows * NR, 0f);
        for (int p = 0, ap = ai, bp = bi; p < kc; p++, ap += aStep, bp += NR) {
            for (int r = 0; r < rows; r++) {
                float av = a[ap + r * aRow];
                int o = r * NR;
                for (int j = 0; j < NR; j++) acc[o + j] = Math.fma(av, pb[bp + j], acc[o + j]);
            }
        }
        for (int r = 0; r < rows; r++) {
            int o = r * NR, at = ci + r * ldc;
            if (accumulate) {
                for (int j = 0; j < NR; j++) c[at + j] = c[at + j] + acc[o + j];
            } else {
                System.arraycopy(acc, o, c, at, NR);
            }
        }
    }

    /** pb[dst + q·16 + r] = b[src + r·ld + q] for r, q in 0..7: {@link PackedGemmVectors#transpose8}'s values. */
    static void transpose8(float[] b, int src, int ld, float[] pb, int dst) {
        for (int r = 0; r < 8; r++)
            for (int q = 0; q < 8; q++) pb[dst + q * NR + r] = b[src + r * ld + q];
    }
}

package nnc.runtime.kernels;

/**
 * The scalar twin of {@link NarrowGemmVectors}' kernels, run when {@link VectorSupport#AVAILABLE} is
 * false: per element of the block one FMA chain from zero over the K block, stored or added to C
 * ({@code C + chain}), so the same bits, in plain loops that touch no {@code jdk.incubator.vector} class.
 */
final class NarrowGemmScalar {
    private NarrowGemmScalar() {}

    /** {@code rows} whole rows of C (n columns, row stride n) at {@code ci}; operands as in {@link NarrowGemmVectors}. */
    static void rows(int kc, int rows, float[] a, int ai, int rowStep, int pStep, float[] b, int bi, int bStep,
                     float[] c, int ci, int n, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                float t = 0f;
                for (int p = 0, ap = ai + r * rowStep, bp = bi + j; p < kc; p++, ap += pStep, bp += bStep) t = Math.fma(a[ap], b[bp], t);
                int at = ci + r * n + j;
                c[at] = accumulate ? c[at] + t : t;
            }
        }
    }
}

package nnc.runtime.kernels;

/**
 * Dense matrix multiply on row-major float arrays: {@code C = op(A) · op(B)}, C is m×n and is
 * overwritten. op(A) is m×k: A is stored m×k, or k×m when {@code transA}. op(B) is k×n: B is stored
 * k×n, or n×k when {@code transB}. The order of floating-point operations depends only on the
 * arguments, so every caller (generated code, interpreter) gets bitwise the same C.
 */
public final class Gemm {
    private Gemm() {}

    public static void matmul(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                for (int j = 0; j < n; j++) {
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    c[ci + j] += av * bv;
                }
            }
        }
    }
}

package nnc.runtime.kernels;

/**
 * A batch of independent matrix products on row-major float arrays, {@code C_i = op(A_i) · op(B_i)}
 * for i = 0 .. batch−1: attention's {@code [b, h, t, k] @ [b, h, k, n]}. The i-th matrices are stored
 * one after another: A_i at {@code aOff + i·m·k}, B_i at {@code bOff + i·k·n}, C_i at {@code cOff + i·m·n}
 * (the transposes only change how each stored matrix is read, as in {@link Gemm}). Each product is
 * one {@link Gemm#matmul} call, so every element is the same FMA chain as there: bitwise the same
 * for any thread count and any batch split.
 */
public final class BatchedGemm {
    private BatchedGemm() {}

    /** {@code C_i (m×n) = op(A_i) · op(B_i)} for each of the {@code batch} pairs. */
    public static void matmul(boolean transA, boolean transB, int batch, int m, int n, int k,
                              float[] a, float[] b, float[] c) {
        if (batch < 0) throw new IllegalArgumentException("negative batch " + batch);
        int strideA = m * k, strideB = k * n, strideC = m * n;
        for (int i = 0; i < batch; i++)
            Gemm.matmul(transA, transB, m, n, k, a, i * strideA, b, i * strideB, c, i * strideC);
    }
}

package nnc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchedGemm}'s products when each is small and B is not transposed (attention's
 * P·V and its gradients' 32×16·16×32 products): no packing, B read in place, C computed in blocks
 * of 4 rows × 16 columns held in 8 vector accumulators. Every
 * element is one fused-multiply-add chain from +0f over p in order, as {@link Gemm}'s exact result
 * for k within one K block: bitwise the same as a {@link Gemm#matmul} per product. Loaded only when
 * {@link VectorSupport#AVAILABLE}.
 */
final class BatchedGemmVectors {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private BatchedGemmVectors() {}

    /** Products {@code [q0, q1)} of the batch, B not transposed; A(i, p) of a product is {@code a[aOff + i·aRow + p·aCol]}. */
    static void range(boolean transA, int q0, int q1, int m, int n, int k, float[] a, float[] b, float[] c) {
        int strideA = m * k, strideB = k * n, strideC = m * n;
        int aRow = transA ? 1 : k, aCol = transA ? m : 1;
        for (int q = q0; q < q1; q++) product(m, n, k, a, q * strideA, aRow, aCol, b, q * strideB, c, q * strideC);
    }

    /** One product: B is k×n row-major at {@code bo}, C m×n at {@code co}. */
    private static void product(int m, int n, int k, float[] a, int ao, int aRow, int aCol, float[] b, int bo, float[] c, int co) {
        int j = 0;
        for (; j + 16 <= n; j += 16) {
            int i = 0;
            for (; i + 4 <= m; i += 4) block4x16(k, n, a, ao + i * aRow, aRow, aCol, b, bo + j, c, co + i * n + j);
            for (; i < m; i++) block1x16(k, n, a, ao + i * aRow, aCol, b, bo + j, c, co + i * n + j);
        }
        for (; j + 8 <= n; j += 8) {
            for (int i = 0; i < m; i++) block1x8(k, n, a, ao + i * aRow, aCol, b, bo + j, c, co + i * n + j);
        }
        for (; j < n; j++) {
            for (int i = 0; i < m; i++) {
                int ai = ao + i * aRow;
                float t = 0f;
                for (int p = 0; p < k; p++) t = Math.fma(a[ai + p * aCol], b[bo + p * n + j], t);
                c[co + i * n + j] = t;
            }
        }
    }

    private static void block4x16(int k, int n, float[] a, int ai, int aRow, int aCol, float[] b, int bi, float[] c, int ci) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a1 = ai + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * n, ap = p * aCol;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + 8);
            FloatVector x = FloatVector.broadcast(S, a[ai + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + 8);
        c10.intoArray(c, ci + n);
        c11.intoArray(c, ci + n + 8);
        c20.intoArray(c, ci + 2 * n);
        c21.intoArray(c, ci + 2 * n + 8);
        c30.intoArray(c, ci + 3 * n);
        c31.intoArray(c, ci + 3 * n + 8);
    }

    private static void block1x16(int k, int n, float[] a, int ai, int aCol, float[] b, int bi, float[] c, int ci) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * n;
            FloatVector x = FloatVector.broadcast(S, a[ai + p * aCol]);
            c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bp + 8), c1);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + 8);
    }

    private static void block1x8(int k, int n, float[] a, int ai, int aCol, float[] b, int bi, float[] c, int ci) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++)
            c0 = FloatVector.broadcast(S, a[ai + p * aCol]).fma(FloatVector.fromArray(S, b, bi + p * n), c0);
        c0.intoArray(c, ci);
    }
}

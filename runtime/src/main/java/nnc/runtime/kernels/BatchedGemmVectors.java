package nnc.runtime.kernels;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchedGemm}'s small products with B not transposed (attention's P·V and its gradients'
 * 32×16·16×32 products): no packing, A and B read in place through their strides, C computed in
 * blocks of 6 rows × 16 columns held in 12 vector accumulators (4 × 16 for the last rows: 32 rows
 * as 6+6+6+6+4+4). B transposed (Q·Kᵀ) is not here: copied to a k×n scratch per product and run
 * through these blocks it took 84 µs for the encoder's 64 products 32×32×16 against 74 µs through
 * {@code Gemm}'s packing (thread CPU time, alternating, branch attn). Every element is one fused-multiply-add chain from +0f over p in order,
 * as {@link Gemm}'s exact result for k within one K block: bitwise the same as a {@link Gemm#matmul}
 * per product. Loaded only when {@link VectorSupport#AVAILABLE}.
 */
final class BatchedGemmVectors {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private BatchedGemmVectors() {}

    /** Products {@code [q0, q1)} of the batch; A(i, p) of a product is {@code a[ao + i·aRow + p·aCol]}. */
    static void range(BatchedGemm.Layout l, int q0, int q1, float[] a, float[] b, float[] c) {
        int m = l.m, n = l.n, k = l.k;
        int aRow = l.transA ? 1 : l.aRow, aCol = l.transA ? l.aRow : 1;
        if (l.transB) throw new IllegalArgumentException("B transposed goes through Gemm");
        for (int q = q0; q < q1; q++) product(m, n, k, a, l.a(q), aRow, aCol, b, l.b(q), l.bRow, c, l.c(q), l.cRow);
    }

    /**
     * {@link BatchedGemm#gather} for rows of a multiple of 8 floats, one vector at a time: System.arraycopy
     * per 16-float row cost the encoder's Q·Kᵀ (64 products, two 32×16 operands each) ~24 µs of 80.
     */
    static void gather(float[] from, int off, int row, int rows, int cols, float[] to) {
        for (int i = 0; i < rows; i++) {
            int f = off + i * row, t = i * cols;
            for (int j = 0; j < cols; j += 8) FloatVector.fromArray(S, from, f + j).intoArray(to, t + j);
        }
    }

    /** One product: B is k×n at {@code bo} with rows {@code bRow} apart, C m×n at {@code co} with rows {@code cRow} apart. */
    private static void product(int m, int n, int k, float[] a, int ao, int aRow, int aCol, float[] b, int bo, int bRow,
                                float[] c, int co, int cRow) {
        int j = 0;
        for (; j + 16 <= n; j += 16) {
            int i = 0;
            for (int rest = m; rest >= 6 && (rest % 6 == 0 || rest >= 10); rest -= 6, i += 6) // 32 rows: 6+6+6+6+4+4
                block6x16(k, bRow, cRow, a, ao + i * aRow, aRow, aCol, b, bo + j, c, co + i * cRow + j);
            for (; i + 4 <= m; i += 4) block4x16(k, bRow, cRow, a, ao + i * aRow, aRow, aCol, b, bo + j, c, co + i * cRow + j);
            for (; i < m; i++) block1x16(k, bRow, a, ao + i * aRow, aCol, b, bo + j, c, co + i * cRow + j);
        }
        for (; j + 8 <= n; j += 8) {
            for (int i = 0; i < m; i++) block1x8(k, bRow, a, ao + i * aRow, aCol, b, bo + j, c, co + i * cRow + j);
        }
        for (; j < n; j++) {
            for (int i = 0; i < m; i++) {
                int ai = ao + i * aRow;
                float t = 0f;
                for (int p = 0; p < k; p++) t = Math.fma(a[ai + p * aCol], b[bo + p * bRow + j], t);
                c[co + i * cRow + j] = t;
            }
        }
    }

    /** Six rows: 12 accumulators, the two B vectors and one broadcast fill the 16 registers; the fences as in {@link PackedGemmVectors}. */
    private static void block6x16(int k, int bRow, int cRow, float[] a, int ai, int aRow, int aCol, float[] b, int bi, float[] c, int ci) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        int a1 = ai + aRow, a2 = a1 + aRow, a3 = a2 + aRow, a4 = a3 + aRow, a5 = a4 + aRow;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bRow, ap = p * aCol;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + 8);
            FloatVector x = FloatVector.broadcast(S, a[ai + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            VarHandle.loadLoadFence(); // each row's broadcast after the previous row's: no spill (PackedGemmVectors)
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            VarHandle.loadLoadFence();
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            VarHandle.loadLoadFence();
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            VarHandle.loadLoadFence();
            x = FloatVector.broadcast(S, a[a4 + ap]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            VarHandle.loadLoadFence();
            x = FloatVector.broadcast(S, a[a5 + ap]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + 8);
        c10.intoArray(c, ci + cRow);
        c11.intoArray(c, ci + cRow + 8);
        c20.intoArray(c, ci + 2 * cRow);
        c21.intoArray(c, ci + 2 * cRow + 8);
        c30.intoArray(c, ci + 3 * cRow);
        c31.intoArray(c, ci + 3 * cRow + 8);
        c40.intoArray(c, ci + 4 * cRow);
        c41.intoArray(c, ci + 4 * cRow + 8);
        c50.intoArray(c, ci + 5 * cRow);
        c51.intoArray(c, ci + 5 * cRow + 8);
    }

    private static void block4x16(int k, int bRow, int cRow, float[] a, int ai, int aRow, int aCol, float[] b, int bi, float[] c, int ci) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a1 = ai + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bRow, ap = p * aCol;
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
        c10.intoArray(c, ci + cRow);
        c11.intoArray(c, ci + cRow + 8);
        c20.intoArray(c, ci + 2 * cRow);
        c21.intoArray(c, ci + 2 * cRow + 8);
        c30.intoArray(c, ci + 3 * cRow);
        c31.intoArray(c, ci + 3 * cRow + 8);
    }

    private static void block1x16(int k, int bRow, float[] a, int ai, int aCol, float[] b, int bi, float[] c, int ci) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bRow;
            FloatVector x = FloatVector.broadcast(S, a[ai + p * aCol]);
            c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bp + 8), c1);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + 8);
    }

    private static void block1x8(int k, int bRow, float[] a, int ai, int aCol, float[] b, int bi, float[] c, int ci) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++)
            c0 = FloatVector.broadcast(S, a[ai + p * aCol]).fma(FloatVector.fromArray(S, b, bi + p * bRow), c0);
        c0.intoArray(c, ci);
    }
}

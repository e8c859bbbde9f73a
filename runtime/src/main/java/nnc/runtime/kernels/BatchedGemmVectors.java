package nnc.runtime.kernels;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchedGemm}'s small products (attention's Q·Kᵀ, P·V and their gradients: 32×32×16 and
 * 32×16×32): no packing, A and B read in place through their strides (B transposed is first copied
 * to a k×n scratch, 512 floats for a 32×16 head), C computed in blocks of 4 rows × 16 columns held
 * in 8 vector accumulators. Every element is one fused-multiply-add chain from +0f over p in order,
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
        float[] bt = l.transB ? BatchedGemm.Scratch.B.get(k * n) : null;
        for (int q = q0; q < q1; q++) {
            int bo = l.b(q);
            if (l.transB) {
                transpose(b, bo, l.bRow, n, k, bt);
                product(m, n, k, a, l.a(q), aRow, aCol, bt, 0, n, c, l.c(q), l.cRow);
            } else {
                product(m, n, k, a, l.a(q), aRow, aCol, b, bo, l.bRow, c, l.c(q), l.cRow);
            }
        }
    }

    /** The rows×cols matrix at {@code off} (rows {@code row} apart) transposed into {@code to} (cols×rows, row-major). */
    private static void transpose(float[] from, int off, int row, int rows, int cols, float[] to) {
        for (int j = 0; j < rows; j++) {
            int f = off + j * row;
            for (int p = 0; p < cols; p++) to[p * rows + j] = from[f + p];
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

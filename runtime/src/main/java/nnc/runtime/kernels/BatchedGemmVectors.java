package nnc.runtime.kernels;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchedGemm}'s small products (attention's 32×16·16×32 P·V and gradients, its 32×16·(32×16)ᵀ
 * Q·Kᵀ and dO·Vᵀ): no packing, A and B read in place through their strides, C computed in
 * blocks of 6 rows × 16 columns held in 12 vector accumulators (4 × 16 for the last rows: 32 rows
 * as 6+6+6+6+4+4). A transposed B (n×k) is first transposed to a per-thread k×n scratch, in 8×8
 * register blocks ({@link #transpose8}): the encoder's 64 products 32×32×16 took 52–56 µs this way
 * against 73–78 µs as one {@code Gemm} call each on gathered copies (thread CPU time, medians of 15
 * rounds, old and new jars alternating, branch qk; {@code BatchedGemmSpeed} in the benchmarks). An
 * earlier try with a scalar transposing copy took 84 µs against 74 (branch attn). Every element is
 * one fused-multiply-add chain from +0f over p in order, as {@link Gemm}'s exact result for k within
 * one K block (a copy changes no value): bitwise the same as a {@link Gemm#matmul} per product.
 * Loaded only when {@link VectorSupport#AVAILABLE}.
 */
final class BatchedGemmVectors {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private BatchedGemmVectors() {}

    /** Products {@code [q0, q1)} of the batch; A(i, p) of a product is {@code a[ao + i·aRow + p·aCol]}. */
    static void range(BatchedGemm.Layout l, int q0, int q1, float[] a, float[] b, float[] c) {
        int m = l.m, n = l.n, k = l.k;
        int aRow = l.transA ? 1 : l.aRow, aCol = l.transA ? l.aRow : 1;
        if (!l.transB) {
            for (int q = q0; q < q1; q++) product(m, n, k, a, l.a(q), aRow, aCol, b, l.b(q), l.bRow, c, l.c(q), l.cRow);
            return;
        }
        float[] t = BatchedGemm.Scratch.B.get(k * n);
        for (int q = q0; q < q1; q++) {
            transpose(b, l.b(q), l.bRow, n, k, t);
            product(m, n, k, a, l.a(q), aRow, aCol, t, 0, n, c, l.c(q), l.cRow);
        }
    }

    /**
     * {@code t[p·n + j] = b[bo + j·bRow + p]}: the n×k matrix B (rows {@code bRow} apart) stored k×n,
     * in 8×8 blocks transposed in registers ({@link #transpose8}), scalar copies at the edges.
     */
    static void transpose(float[] b, int bo, int bRow, int n, int k, float[] t) {
        int k8 = k & ~7, j = 0;
        for (; j + 8 <= n; j += 8) {
            int bj = bo + j * bRow;
            for (int p = 0; p < k8; p += 8) transpose8(b, bj + p, bRow, t, p * n + j, n);
            for (int p = k8; p < k; p++)
                for (int r = 0; r < 8; r++) t[p * n + j + r] = b[bj + r * bRow + p];
        }
        for (; j < n; j++)
            for (int p = 0; p < k; p++) t[p * n + j] = b[bo + j * bRow + p];
    }

    /** Swaps of lanes 4 apart, 2 apart (within halves) and 1 apart (within pairs), and the lanes each swap's blend takes. */
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromValues(S, 4, 5, 6, 7, 0, 1, 2, 3),
            SWAP2 = VectorShuffle.fromValues(S, 2, 3, 0, 1, 6, 7, 4, 5), SWAP1 = VectorShuffle.fromValues(S, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorMask<Float> HIGH4 = VectorMask.fromLong(S, 0xF0), LOW4 = HIGH4.not(),
            HIGH2 = VectorMask.fromLong(S, 0xCC), LOW2 = HIGH2.not(), HIGH1 = VectorMask.fromLong(S, 0xAA), LOW1 = HIGH1.not();

    /**
     * {@code t[dst + q·dld + r] = b[src + r·ld + q]} for r, q in 0..7: three rounds, each exchanging
     * one block of a pair of rows with the other's by a one-vector shuffle and a blend. 64 of
     * these (the encoder's 64 Kᵀ of 32×16) took 10 µs against 13 µs for {@link PackedGemmVectors#transpose8}'s
     * rounds of two-vector zips (which AVX2 builds from two shuffles and a blend) and 12 µs for scalar copies.
     */
    static void transpose8(float[] b, int src, int ld, float[] t, int dst, int dld) {
        FloatVector r0 = FloatVector.fromArray(S, b, src), r1 = FloatVector.fromArray(S, b, src + ld);
        FloatVector r2 = FloatVector.fromArray(S, b, src + 2 * ld), r3 = FloatVector.fromArray(S, b, src + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(S, b, src + 4 * ld), r5 = FloatVector.fromArray(S, b, src + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(S, b, src + 6 * ld), r7 = FloatVector.fromArray(S, b, src + 7 * ld);
        FloatVector s0 = r0.blend(r4.rearrange(SWAP4), HIGH4), s4 = r4.blend(r0.rearrange(SWAP4), LOW4);
        FloatVector s1 = r1.blend(r5.rearrange(SWAP4), HIGH4), s5 = r5.blend(r1.rearrange(SWAP4), LOW4);
        FloatVector s2 = r2.blend(r6.rearrange(SWAP4), HIGH4), s6 = r6.blend(r2.rearrange(SWAP4), LOW4);
        FloatVector s3 = r3.blend(r7.rearrange(SWAP4), HIGH4), s7 = r7.blend(r3.rearrange(SWAP4), LOW4);
        r0 = s0.blend(s2.rearrange(SWAP2), HIGH2);
        r2 = s2.blend(s0.rearrange(SWAP2), LOW2);
        r1 = s1.blend(s3.rearrange(SWAP2), HIGH2);
        r3 = s3.blend(s1.rearrange(SWAP2), LOW2);
        r4 = s4.blend(s6.rearrange(SWAP2), HIGH2);
        r6 = s6.blend(s4.rearrange(SWAP2), LOW2);
        r5 = s5.blend(s7.rearrange(SWAP2), HIGH2);
        r7 = s7.blend(s5.rearrange(SWAP2), LOW2);
        r0.blend(r1.rearrange(SWAP1), HIGH1).intoArray(t, dst);
        r1.blend(r0.rearrange(SWAP1), LOW1).intoArray(t, dst + dld);
        r2.blend(r3.rearrange(SWAP1), HIGH1).intoArray(t, dst + 2 * dld);
        r3.blend(r2.rearrange(SWAP1), LOW1).intoArray(t, dst + 3 * dld);
        r4.blend(r5.rearrange(SWAP1), HIGH1).intoArray(t, dst + 4 * dld);
        r5.blend(r4.rearrange(SWAP1), LOW1).intoArray(t, dst + 5 * dld);
        r6.blend(r7.rearrange(SWAP1), HIGH1).intoArray(t, dst + 6 * dld);
        r7.blend(r6.rearrange(SWAP1), LOW1).intoArray(t, dst + 7 * dld);
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

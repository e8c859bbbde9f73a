package nnc.runtime.kernels;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels of {@link NarrowGemm}, in a class of their own: loaded only when
 * {@link VectorSupport#AVAILABLE}, else {@link NarrowGemmScalar}'s twin runs (the same chains, the same bits).
 *
 * <p>Each kernel computes a block of whole rows of a narrow C (n columns, row stride n) over one K
 * block: each lane of its accumulators one FMA chain from zero, then stored to C or added to it. Row r,
 * step p of op(A) is at {@code a[ai + r·rowStep + p·pStep]}, row p of op(B) at {@code b[bi + p·bStep]}.
 * <ul>
 * <li>{@code rowsRx16}, 8 < n ≤ 16: two vectors per row, columns [0, 8) and [n − 8, n), so op(B)'s rows
 * are read in place and C's rows written without a lane mask or a byte outside the row; the columns
 * both cover (16 − n of them) are computed twice, by identical chains, and stored twice with the same bits.
 * <li>{@code rowsRx8}, n ≤ 8: one vector per row, columns [0, 8): op(B) must have 8 − n readable floats
 * after its last row (the caller copies it), a row's store runs into the next row's first columns,
 * which that row's store then overwrites, and the block's last row goes through {@code tile}, so
 * nothing outside the block is written. The accumulate branch loads all of C before the first store.
 * </ul>
 * No masked loads or stores: on this machine (AMD EPYC, Zen 3, Temurin 25) a masked store
 * ({@code vmaskmovps}) of each block's last row, read again by the next K block, made 64×10·(257)
 * take 15 µs against 6.5 µs with plain stores, and masked loads of op(B)'s second vector cost a third
 * more than plain ones at k = 256 (thread CPU time, branch smalln). The 6- and 8-row loops keep
 * {@link PackedGemmVectors}' load fences so that C2 keeps the broadcasts in order and spills no accumulator.
 */
final class NarrowGemmVectors {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private NarrowGemmVectors() {}

    /** Six rows of C, 8 < n ≤ 16: twelve accumulators, two FMAs per row and step. */
    static void rows6x16(int kc, float[] a, int ai, int rowStep, int pStep, float[] b, int bi, int bStep,
                            float[] c, int ci, int n, boolean accumulate) {
        int t = n - 8; // the second vector's first column
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        int r1 = 1 * rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep;
        for (int p = 0, ap = ai, bp = bi; p < kc; p++, ap += pStep, bp += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + t);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            VarHandle.loadLoadFence(); // each row's broadcast after the previous row's, as in PackedGemmVectors
            FloatVector a1 = FloatVector.broadcast(S, a[ap + r1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            VarHandle.loadLoadFence();
            FloatVector a2 = FloatVector.broadcast(S, a[ap + r2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            VarHandle.loadLoadFence();
            FloatVector a3 = FloatVector.broadcast(S, a[ap + r3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            VarHandle.loadLoadFence();
            FloatVector a4 = FloatVector.broadcast(S, a[ap + r4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            VarHandle.loadLoadFence();
            FloatVector a5 = FloatVector.broadcast(S, a[ap + r5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        int o1 = ci + 1 * n, o2 = ci + 2 * n, o3 = ci + 3 * n, o4 = ci + 4 * n, o5 = ci + 5 * n;
        if (accumulate) { // C + this block's partial sums
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c01 = FloatVector.fromArray(S, c, ci + t).add(c01);
            c10 = FloatVector.fromArray(S, c, o1).add(c10);
            c11 = FloatVector.fromArray(S, c, o1 + t).add(c11);
            c20 = FloatVector.fromArray(S, c, o2).add(c20);
            c21 = FloatVector.fromArray(S, c, o2 + t).add(c21);
            c30 = FloatVector.fromArray(S, c, o3).add(c30);
            c31 = FloatVector.fromArray(S, c, o3 + t).add(c31);
            c40 = FloatVector.fromArray(S, c, o4).add(c40);
            c41 = FloatVector.fromArray(S, c, o4 + t).add(c41);
            c50 = FloatVector.fromArray(S, c, o5).add(c50);
            c51 = FloatVector.fromArray(S, c, o5 + t).add(c51);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + t);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + t);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + t);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + t);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + t);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + t);
    }

    /** Four rows of C, 8 < n ≤ 16. */
    static void rows4x16(int kc, float[] a, int ai, int rowStep, int pStep, float[] b, int bi, int bStep,
                            float[] c, int ci, int n, boolean accumulate) {
        int t = n - 8; // the second vector's first column
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
        int r1 = 1 * rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep;
        for (int p = 0, ap = ai, bp = bi; p < kc; p++, ap += pStep, bp += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + t);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + r1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + r2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + r3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        int o1 = ci + 1 * n, o2 = ci + 2 * n, o3 = ci + 3 * n;
        if (accumulate) { // C + this block's partial sums
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c01 = FloatVector.fromArray(S, c, ci + t).add(c01);
            c10 = FloatVector.fromArray(S, c, o1).add(c10);
            c11 = FloatVector.fromArray(S, c, o1 + t).add(c11);
            c20 = FloatVector.fromArray(S, c, o2).add(c20);
            c21 = FloatVector.fromArray(S, c, o2 + t).add(c21);
            c30 = FloatVector.fromArray(S, c, o3).add(c30);
            c31 = FloatVector.fromArray(S, c, o3 + t).add(c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + t);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + t);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + t);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + t);
    }

    /** One row of C, 8 < n ≤ 16. */
    static void rows1x16(int kc, float[] a, int ai, int rowStep, int pStep, float[] b, int bi, int bStep,
                            float[] c, int ci, int n, boolean accumulate) {
        int t = n - 8; // the second vector's first column
        FloatVector c00, c01;
        c00 = c01 = FloatVector.zero(S);
        for (int p = 0, ap = ai, bp = bi; p < kc; p++, ap += pStep, bp += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + t);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
        }
        if (accumulate) { // C + this block's partial sums
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c01 = FloatVector.fromArray(S, c, ci + t).add(c01);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + t);
    }

    /** Eight rows of C, n ≤ 8: eight accumulators, one FMA per row and step. */
    static void rows8x8(int kc, float[] a, int ai, int rowStep, int pStep, float[] b, int bi, int bStep,
                            float[] c, int ci, int n, boolean accumulate, float[] tile) {
        FloatVector c00, c10, c20, c30, c40, c50, c60, c70;
        c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = FloatVector.zero(S);
        int r1 = 1 * rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
        for (int p = 0, ap = ai, bp = bi; p < kc; p++, ap += pStep, bp += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            VarHandle.loadLoadFence(); // each row's broadcast after the previous row's, as in PackedGemmVectors
            FloatVector a1 = FloatVector.broadcast(S, a[ap + r1]);
            c10 = a1.fma(b0, c10);
            VarHandle.loadLoadFence();
            FloatVector a2 = FloatVector.broadcast(S, a[ap + r2]);
            c20 = a2.fma(b0, c20);
            VarHandle.loadLoadFence();
            FloatVector a3 = FloatVector.broadcast(S, a[ap + r3]);
            c30 = a3.fma(b0, c30);
            VarHandle.loadLoadFence();
            FloatVector a4 = FloatVector.broadcast(S, a[ap + r4]);
            c40 = a4.fma(b0, c40);
            VarHandle.loadLoadFence();
            FloatVector a5 = FloatVector.broadcast(S, a[ap + r5]);
            c50 = a5.fma(b0, c50);
            VarHandle.loadLoadFence();
            FloatVector a6 = FloatVector.broadcast(S, a[ap + r6]);
            c60 = a6.fma(b0, c60);
            VarHandle.loadLoadFence();
            FloatVector a7 = FloatVector.broadcast(S, a[ap + r7]);
            c70 = a7.fma(b0, c70);
        }
        int o1 = ci + 1 * n, o2 = ci + 2 * n, o3 = ci + 3 * n, o4 = ci + 4 * n, o5 = ci + 5 * n, o6 = ci + 6 * n, o7 = ci + 7 * n;
        if (accumulate) { // C + this block's partial sums; every load before the first store
            for (int j = 0; j < n; j++) tile[j] = c[o7 + j];
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c10 = FloatVector.fromArray(S, c, o1).add(c10);
            c20 = FloatVector.fromArray(S, c, o2).add(c20);
            c30 = FloatVector.fromArray(S, c, o3).add(c30);
            c40 = FloatVector.fromArray(S, c, o4).add(c40);
            c50 = FloatVector.fromArray(S, c, o5).add(c50);
            c60 = FloatVector.fromArray(S, c, o6).add(c60);
            c70 = FloatVector.fromArray(S, tile, 0).add(c70);
        }
        c00.intoArray(c, ci);
        c10.intoArray(c, o1);
        c20.intoArray(c, o2);
        c30.intoArray(c, o3);
        c40.intoArray(c, o4);
        c50.intoArray(c, o5);
        c60.intoArray(c, o6);
        c70.intoArray(tile, 0); // the last row: its n columns only
        for (int j = 0; j < n; j++) c[o7 + j] = tile[j];
    }

    /** Four rows of C, n ≤ 8. */
    static void rows4x8(int kc, float[] a, int ai, int rowStep, int pStep, float[] b, int bi, int bStep,
                            float[] c, int ci, int n, boolean accumulate, float[] tile) {
        FloatVector c00, c10, c20, c30;
        c00 = c10 = c20 = c30 = FloatVector.zero(S);
        int r1 = 1 * rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep;
        for (int p = 0, ap = ai, bp = bi; p < kc; p++, ap += pStep, bp += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + r1]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + r2]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + r3]);
            c30 = a3.fma(b0, c30);
        }
        int o1 = ci + 1 * n, o2 = ci + 2 * n, o3 = ci + 3 * n;
        if (accumulate) { // C + this block's partial sums; every load before the first store
            for (int j = 0; j < n; j++) tile[j] = c[o3 + j];
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c10 = FloatVector.fromArray(S, c, o1).add(c10);
            c20 = FloatVector.fromArray(S, c, o2).add(c20);
            c30 = FloatVector.fromArray(S, tile, 0).add(c30);
        }
        c00.intoArray(c, ci);
        c10.intoArray(c, o1);
        c20.intoArray(c, o2);
        c30.intoArray(tile, 0); // the last row: its n columns only
        for (int j = 0; j < n; j++) c[o3 + j] = tile[j];
    }

    /** One row of C, n ≤ 8. */
    static void rows1x8(int kc, float[] a, int ai, int rowStep, int pStep, float[] b, int bi, int bStep,
                            float[] c, int ci, int n, boolean accumulate, float[] tile) {
        FloatVector c00;
        c00 = FloatVector.zero(S);
        for (int p = 0, ap = ai, bp = bi; p < kc; p++, ap += pStep, bp += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
        }
        if (accumulate) { // C + this block's partial sums
            for (int j = 0; j < n; j++) tile[j] = c[ci + j];
            c00 = FloatVector.fromArray(S, tile, 0).add(c00);
        }
        c00.intoArray(tile, 0); // the last row: its n columns only
        for (int j = 0; j < n; j++) c[ci + j] = tile[j];
    }
}

package nnc.runtime.kernels;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernels of {@link PackedGemm}, in a class of their own: it is loaded only when
 * {@link VectorSupport#AVAILABLE}, so a JVM without {@code jdk.incubator.vector} never links it and
 * runs {@link PackedGemmScalar}'s twins instead (the same FMA chains, so the same bits).
 *
 * <p>Each kernel computes a 6×16 (or 4×16) tile's partial sums over one K block of {@code kc} steps:
 * twelve (eight) 8-lane accumulators start at zero, each lane one FMA chain, and are then stored to C
 * ({@code accumulate} false) or added to it ({@code C + acc}). Straight-line on purpose: no calls in
 * the loop and one induction variable (both panel indexes are constant multiples of it, so C2
 * removes the bounds checks; measured 2–6 % faster at 512³ than stepping two indexes).
 *
 * <p>The 6-row kernels put a {@link VarHandle#loadLoadFence()} before each row's broadcast of A. It emits
 * no instruction on x86 (loads are not reordered there) but it orders the loads in C2's graph: without
 * it C2 schedules all six broadcasts at the top of the k step, 20 vectors are then live for 16 ymm
 * registers, and the allocator keeps accumulators on the stack (a load and a store of one per k step;
 * five rows spill just the same). With it the loop is the C one: two B loads, then per row one
 * broadcast and two register FMAs, no spill and no register copy (read in the JIT's code, Temurin 25).
 * Measured alone (packed panels in L1, k steps 196 and 64, alternating, medians of 9): 40 → 90 and
 * 41 → 83 GFLOP/s. {@link #kernelUnpackedA} compiled to the same loop with or without them (its rows'
 * addresses are computed one after the other, which already kept C2 from hoisting the broadcasts); it
 * keeps them so that it does not depend on that. The four-row kernel fits in the registers either way
 * (14 vectors even with every broadcast hoisted) and has none. The fences change no value: every
 * accumulator is the same FMA chain as before.
 */
final class PackedGemmVectors {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int MR = PackedGemm.MR;
    private static final int NR = PackedGemm.NR;

    private PackedGemmVectors() {}

    /** C[6×16] at {@code ci} (row stride {@code ldc}) = (accumulate ? C : 0) + Apanel · Bpanel over {@code kc} steps, A packed in 6-row panels. */
    static void kernel(int kc, float[] pa, int ai, float[] pb, int bi,
                       float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR;
            int ap = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + 8);
            FloatVector a0 = FloatVector.broadcast(S, pa[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            VarHandle.loadLoadFence(); // each row's broadcast after the previous row's: no spill (class comment)
            FloatVector a1 = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            VarHandle.loadLoadFence();
            FloatVector a2 = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            VarHandle.loadLoadFence();
            FloatVector a3 = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            VarHandle.loadLoadFence();
            FloatVector a4 = FloatVector.broadcast(S, pa[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            VarHandle.loadLoadFence();
            FloatVector a5 = FloatVector.broadcast(S, pa[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        int row1 = ci + ldc, row2 = row1 + ldc, row3 = row2 + ldc, row4 = row3 + ldc, row5 = row4 + ldc;
        if (accumulate) { // C + this block's partial sums
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c01 = FloatVector.fromArray(S, c, ci + 8).add(c01);
            c10 = FloatVector.fromArray(S, c, row1).add(c10);
            c11 = FloatVector.fromArray(S, c, row1 + 8).add(c11);
            c20 = FloatVector.fromArray(S, c, row2).add(c20);
            c21 = FloatVector.fromArray(S, c, row2 + 8).add(c21);
            c30 = FloatVector.fromArray(S, c, row3).add(c30);
            c31 = FloatVector.fromArray(S, c, row3 + 8).add(c31);
            c40 = FloatVector.fromArray(S, c, row4).add(c40);
            c41 = FloatVector.fromArray(S, c, row4 + 8).add(c41);
            c50 = FloatVector.fromArray(S, c, row5).add(c50);
            c51 = FloatVector.fromArray(S, c, row5 + 8).add(c51);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + 8);
        c10.intoArray(c, row1);
        c11.intoArray(c, row1 + 8);
        c20.intoArray(c, row2);
        c21.intoArray(c, row2 + 8);
        c30.intoArray(c, row3);
        c31.intoArray(c, row3 + 8);
        c40.intoArray(c, row4);
        c41.intoArray(c, row4 + 8);
        c50.intoArray(c, row5);
        c51.intoArray(c, row5 + 8);
    }

    /** The first 4 rows of {@link #kernel}: a last panel of exactly 4 rows (a batch of 64), without an edge tile. */
    static void kernel4(int kc, float[] pa, int ai, float[] pb, int bi,
                        float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR;
            int ap = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + 8);
            FloatVector a0 = FloatVector.broadcast(S, pa[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        int row1 = ci + ldc, row2 = row1 + ldc, row3 = row2 + ldc;
        if (accumulate) { // C + this block's partial sums
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c01 = FloatVector.fromArray(S, c, ci + 8).add(c01);
            c10 = FloatVector.fromArray(S, c, row1).add(c10);
            c11 = FloatVector.fromArray(S, c, row1 + 8).add(c11);
            c20 = FloatVector.fromArray(S, c, row2).add(c20);
            c21 = FloatVector.fromArray(S, c, row2 + 8).add(c21);
            c30 = FloatVector.fromArray(S, c, row3).add(c30);
            c31 = FloatVector.fromArray(S, c, row3 + 8).add(c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + 8);
        c10.intoArray(c, row1);
        c11.intoArray(c, row1 + 8);
        c20.intoArray(c, row2);
        c21.intoArray(c, row2 + 8);
        c30.intoArray(c, row3);
        c31.intoArray(c, row3 + 8);
    }

    /**
     * {@link #kernel} with op(A) read in place: row r, step p of the panel at {@code a[ai + r·rowStep +
     * p·pStep]} (rowStep k and pStep 1 for A, 1 and m for Aᵀ). The same FMA chains, so the same bits.
     */
    static void kernelUnpackedA(int kc, float[] a, int ai, int rowStep, int pStep, float[] pb, int bi,
                                float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        int r1 = 1 * rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep;
        for (int p = 0, ap = ai; p < kc; p++, ap += pStep) {
            int bp = bi + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + 8);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            VarHandle.loadLoadFence(); // as in kernel: each row's broadcast after the previous row's
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
        int row1 = ci + ldc, row2 = row1 + ldc, row3 = row2 + ldc, row4 = row3 + ldc, row5 = row4 + ldc;
        if (accumulate) { // C + this block's partial sums
            c00 = FloatVector.fromArray(S, c, ci).add(c00);
            c01 = FloatVector.fromArray(S, c, ci + 8).add(c01);
            c10 = FloatVector.fromArray(S, c, row1).add(c10);
            c11 = FloatVector.fromArray(S, c, row1 + 8).add(c11);
            c20 = FloatVector.fromArray(S, c, row2).add(c20);
            c21 = FloatVector.fromArray(S, c, row2 + 8).add(c21);
            c30 = FloatVector.fromArray(S, c, row3).add(c30);
            c31 = FloatVector.fromArray(S, c, row3 + 8).add(c31);
            c40 = FloatVector.fromArray(S, c, row4).add(c40);
            c41 = FloatVector.fromArray(S, c, row4 + 8).add(c41);
            c50 = FloatVector.fromArray(S, c, row5).add(c50);
            c51 = FloatVector.fromArray(S, c, row5 + 8).add(c51);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + 8);
        c10.intoArray(c, row1);
        c11.intoArray(c, row1 + 8);
        c20.intoArray(c, row2);
        c21.intoArray(c, row2 + 8);
        c30.intoArray(c, row3);
        c31.intoArray(c, row3 + 8);
        c40.intoArray(c, row4);
        c41.intoArray(c, row4 + 8);
        c50.intoArray(c, row5);
        c51.intoArray(c, row5 + 8);
    }


    /**
     * pb[dst + q·16 + r] = b[src + r·ld + q] for r, q in 0..7: an 8×8 block transposed in registers by
     * {@link BatchedGemmVectors#transpose8}'s rounds of one-vector shuffles and blends. Packing a
     * transposed 512×512 B (one core, hot, median of 2,000) took 87 µs this way against 101 µs with the
     * earlier rounds of two-vector zips (AVX2 builds each from two shuffles and a blend).
     */
    static void transpose8(float[] b, int src, int ld, float[] pb, int dst) {
        BatchedGemmVectors.transpose8(b, src, ld, pb, dst, NR);
    }

    /**
     * One k step of a 6-row panel of op(A) = Aᵀ: the six values {@code a[src .. src+6)} to
     * {@code pa[dst .. dst+6)}, as one 8-lane load and store (one of each instead of six: packing Aᵀ
     * this way made 256×512ᵀ·512×64 1.2× faster). It also writes {@code pa[dst+6]}, {@code pa[dst+7]};
     * the caller stores the steps in increasing order, so the next step's store (or the next panel's,
     * or the workspace's slack) takes them, and needs {@code src + 8 ≤ a.length}.
     */
    static void copy6(float[] a, int src, float[] pa, int dst) {
        FloatVector.fromArray(S, a, src).intoArray(pa, dst);
    }

    /** 16 floats copied from {@code b[src]} to {@code pb[dst]} as two vectors (a B panel row). */
    static void copy16(float[] b, int src, float[] pb, int dst) {
        FloatVector.fromArray(S, b, src).intoArray(pb, dst);
        FloatVector.fromArray(S, b, src + 8).intoArray(pb, dst + 8);
    }
}

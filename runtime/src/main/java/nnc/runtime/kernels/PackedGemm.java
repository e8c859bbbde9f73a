package nnc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The large-shape path of {@link Gemm}: Goto/BLIS blocking with packed panels and a 4×16
 * register-blocked micro-kernel (eight 8-lane FMA accumulators), KC=256, MC=96, NC=512.
 *
 * <p>A block of op(B) (KC×NC) is packed into 16-column panels, a block of op(A) (MC×KC) into
 * 4-row panels, both zero-padded at the edges, so one micro-kernel serves every layout
 * (NN, NT, TN, TT): transposition only changes how the packers read. The kernel loads C into its
 * accumulators for every K block after the first, so each element of C is one FMA chain over
 * p = 0..k-1 in order (see {@link Gemm}). Packing buffers are per thread and reused: the steady
 * state allocates nothing.
 */
final class PackedGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int MR = 4;
    static final int NR = 16;
    static final int KC = 256;
    static final int MC = 96;
    static final int NC = 512;

    /** Packing buffers and an edge tile, one set per thread. */
    private static final class Workspace {
        final float[] packedA = new float[MC * KC];
        final float[] packedB = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private PackedGemm() {}

    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, 0, n);
    }

    /**
     * Columns {@code [j0, j1)} of C only (each element's FMA chain is the same as in a whole-matrix call,
     * so splitting C by columns over threads does not change a bit).
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int j0, int j1) {
        Workspace ws = WORKSPACE.get();
        float[] pa = ws.packedA;
        float[] pb = ws.packedB;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean accumulate = pc > 0;
                packB(transB, n, j1, k, b, bOff, pc, kc, jc, nc, pb);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, m, k, a, aOff, ic, mc, pc, kc, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bi = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int ai = ir * kc;
                            int ci = cOff + (ic + ir) * n + jc + jr;
                            if (mr == MR && nr == NR) kernel(kc, pa, ai, pb, bi, c, ci, n, accumulate);
                            else edge(kc, pa, ai, pb, bi, c, ci, n, mr, nr, accumulate, ws.tile);
                        }
                    }
                }
            }
        }
    }

    /** A partial tile: run the full kernel on a 4×16 scratch tile, copy the valid part. */
    private static void edge(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc,
                             int mr, int nr, boolean accumulate, float[] tile) {
        if (accumulate) {
            for (int r = 0; r < mr; r++) System.arraycopy(c, ci + r * ldc, tile, r * NR, nr);
        }
        kernel(kc, pa, ai, pb, bi, tile, 0, NR, accumulate);
        for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, ci + r * ldc, nr);
    }

    /**
     * C[4×16] (at {@code ci}, row stride {@code ldc}) = (accumulate ? C : 0) + Apanel · Bpanel over
     * {@code kc} steps. Straight-line on purpose: no calls in the loop, eight accumulators.
     */
    private static void kernel(int kc, float[] pa, int ai, float[] pb, int bi,
                               float[] c, int ci, int ldc, boolean accumulate) {
        int c1 = ci + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + 8);
            c10 = FloatVector.fromArray(S, c, c1);
            c11 = FloatVector.fromArray(S, c, c1 + 8);
            c20 = FloatVector.fromArray(S, c, c2);
            c21 = FloatVector.fromArray(S, c, c2 + 8);
            c30 = FloatVector.fromArray(S, c, c3);
            c31 = FloatVector.fromArray(S, c, c3 + 8);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
        }
        int aEnd = ai + kc * MR;
        for (; ai < aEnd; ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + 8);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + 8);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + 8);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + 8);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + 8);
    }

    /**
     * Packs op(B)[pc..pc+kc) × [jc..jc+nc) into 16-column panels: panel q holds, for each p, the
     * 16 values op(B)[pc+p][jc+16q .. jc+16q+15] (zeros past column nEnd; n is op(B)'s width).
     */
    private static void packB(boolean transB, int n, int nEnd, int k, float[] b, int bOff,
                              int pc, int kc, int jc, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int j0 = jc + jr;
            int w = Math.min(NR, nEnd - j0);
            int dst = jr * kc;
            if (!transB) {
                int src = bOff + pc * n + j0;
                if (w == NR) {
                    for (int p = 0; p < kc; p++, src += n, dst += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(pb, dst);
                        FloatVector.fromArray(S, b, src + 8).intoArray(pb, dst + 8);
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += n, dst += NR) {
                        System.arraycopy(b, src, pb, dst, w);
                        java.util.Arrays.fill(pb, dst + w, dst + NR, 0f);
                    }
                }
            } else if (w == NR) {
                int src = bOff + j0 * k + pc;
                for (int p = 0; p < kc; p++, dst += NR) {
                    for (int jj = 0, s = src + p; jj < NR; jj++, s += k) pb[dst + jj] = b[s];
                }
            } else {
                int src = bOff + j0 * k + pc;
                for (int p = 0; p < kc; p++, dst += NR) {
                    for (int jj = 0, s = src + p; jj < NR; jj++, s += k) pb[dst + jj] = jj < w ? b[s] : 0f;
                }
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc) × [pc..pc+kc) into 4-row panels: panel q holds, for each p, the 4
     * values op(A)[ic+4q .. ic+4q+3][pc+p] (zeros past row m).
     */
    private static void packA(boolean transA, int m, int k, float[] a, int aOff,
                              int ic, int mc, int pc, int kc, float[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int i0 = ic + ir;
            int h = Math.min(MR, m - i0);
            int dst = ir * kc;
            if (!transA && h == MR) {
                int s0 = aOff + i0 * k + pc;
                int s1 = s0 + k;
                int s2 = s1 + k;
                int s3 = s2 + k;
                for (int p = 0; p < kc; p++, dst += MR) {
                    pa[dst] = a[s0 + p];
                    pa[dst + 1] = a[s1 + p];
                    pa[dst + 2] = a[s2 + p];
                    pa[dst + 3] = a[s3 + p];
                }
            } else if (!transA) {
                int src = aOff + i0 * k + pc;
                for (int p = 0; p < kc; p++, dst += MR) {
                    for (int r = 0; r < MR; r++) pa[dst + r] = r < h ? a[src + r * k + p] : 0f;
                }
            } else {
                int src = aOff + pc * m + i0;
                for (int p = 0; p < kc; p++, src += m, dst += MR) {
                    for (int r = 0; r < MR; r++) pa[dst + r] = r < h ? a[src + r] : 0f;
                }
            }
        }
    }
}

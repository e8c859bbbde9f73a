package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution forward and weight gradient without an im2col matrix or packing. The image
 * is copied once into a zero-padded buffer (an unpadded image is read in place), and the padded
 * image read from offset {@code (ci·hp + ky)·wp + kx} is exactly row {@code (ci, ky, kx)} of im2col
 * over a "wide" output of {@code oh × wp} positions (the {@code wp − ow} extra columns of each
 * output row are computed and dropped).
 *
 * <p>Both run the chains {@link Gemm} runs on im2col, so results are bitwise the im2col + Gemm
 * ones: forward {@code s = +0; s = fma(w[o, r], col[r, q], s)} over {@code r = (ci, ky, kx)} in
 * row-major order, in 4×16 (or 6×16 for the last six channels, or 2×16) register blocks of channels × wide positions; weight gradient
 * per image {@code s = +0; s = fma(dy[o, pixel], col[r, pixel], s)} over the pixels in order, stored
 * for the first image and added for the others, with dy transposed to {@code [pixel][channel]} so a
 * vector holds 8 channels' chains. Each chain is cut into Gemm's K blocks ({@link PackedGemm#kBlock}):
 * the weight gradient's pixels here; the forward's patch is a single chain, which is Gemm's result
 * only when it is one K block, so {@link Conv2d} calls the forward only then. Both only with
 * {@code jdk.incubator.vector} ({@link VectorSupport}).
 *
 * <p>Workspace: see {@link DirectConvShape#workspaceFloats}.
 */
final class DirectConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Wide positions per register block: two vectors. */
    private static final int NQ = DirectConvShape.NQ;
    private static final int L = 8;

    private DirectConv() {}

    /** Copies image {@code img} into the padded buffer at 0, whose border {@link #forwardImages} zeroed. */
    private static void pad(Conv2d.Geometry g, float[] x, int src, float[] xp) {
        int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW();
        for (int ci = 0; ci < g.c(); ci++)
            for (int iy = 0; iy < g.h(); iy++)
                System.arraycopy(x, src + (ci * g.h() + iy) * g.w(), xp, (ci * hp + iy + g.padH()) * wp + g.padW(), g.w());
    }

    /** Images {@code [i0, i1)} of {@link Conv2d#forward}. */
    static void forwardImages(Conv2d.Geometry g, float[] x, int xOff, float[] wt, int wOff, float[] y, int yOff, float[] work, int i0, int i1) {
        int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW(), tile = DirectConvShape.padded(g);
        int oh = g.oh(), ow = g.ow(), plane = oh * ow, wide = oh * wp;
        int inImage = g.c() * g.h() * g.w(), outImage = g.oc() * plane;
        Arrays.fill(work, 0, tile, 0f);
        int[] reads = DirectConvShape.rowTable(g, 1);
        boolean unpadded = g.padH() == 0 && g.padW() == 0;
        for (int img = i0; img < i1; img++) {
            // Unpadded images are read in place, unless the wide output's last reads would pass the array's end.
            int src = xOff + img * inImage;
            boolean inPlace = unpadded && src + inImage + g.kw() <= x.length;
            float[] xs = inPlace ? x : work;
            int xb = inPlace ? src : 0;
            if (!inPlace) pad(g, x, src, work);
            for (int o = 0; o < g.oc(); ) {
                int rows = g.oc() - o == 6 ? 6 : g.oc() - o >= 4 ? 4 : 2;
                if (rows == 2 && o == g.oc() - 1) o--; // one channel left: redo the one before with it
                for (int q = 0; ; q += NQ) {
                    if (q > wide - NQ) q = wide - NQ;
                    if (rows == 6) block6(g, reads, xs, xb, wt, wOff + o * g.patch(), q, work, tile, wide);
                    else if (rows == 4) block4(g, reads, xs, xb, wt, wOff + o * g.patch(), q, work, tile, wide);
                    else block2(g, reads, xs, xb, wt, wOff + o * g.patch(), q, work, tile, wide);
                    if (q == wide - NQ) break;
                }
                for (int r = 0; r < rows; r++)
                    for (int oy = 0; oy < oh; oy++)
                        System.arraycopy(work, tile + r * wide + oy * wp, y, yOff + img * outImage + (o + r) * plane + oy * ow, ow);
                o += rows;
            }
        }
    }

    /**
     * Output channels {@code o..o+3} (weights from {@code wi}) at wide positions {@code q..q+15}, into the tile: one flat loop
     * over the patch rows, their reads from {@code reads} ({@link DirectConvShape#rowTable}).
     */
    private static void block4(Conv2d.Geometry g, int[] reads, float[] xp, int xb, float[] wt, int wi, int q, float[] t, int ti, int wide) {
        int patch = g.patch();
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
        int at0 = xb + q;
        for (int r = 0; r < patch; r++) {
            int at = at0 + reads[r];
            FloatVector b0 = FloatVector.fromArray(S, xp, at);
            FloatVector b1 = FloatVector.fromArray(S, xp, at + 8);
            FloatVector a0 = FloatVector.broadcast(S, wt[wi + r]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, wt[wi + patch + r]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, wt[wi + 2 * patch + r]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, wt[wi + 3 * patch + r]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(t, ti + q);
        c01.intoArray(t, ti + q + 8);
        c10.intoArray(t, ti + wide + q);
        c11.intoArray(t, ti + wide + q + 8);
        c20.intoArray(t, ti + 2 * wide + q);
        c21.intoArray(t, ti + 2 * wide + q + 8);
        c30.intoArray(t, ti + 3 * wide + q);
        c31.intoArray(t, ti + 3 * wide + q + 8);
    }

    /** {@link #block4} for six output channels (the last six: one pass over the patch instead of a 4-block and a 2-block). */
    private static void block6(Conv2d.Geometry g, int[] reads, float[] xp, int xb, float[] wt, int wi, int q, float[] t, int ti, int wide) {
        int patch = g.patch();
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        int at0 = xb + q;
        for (int r = 0; r < patch; r++) {
            int at = at0 + reads[r];
            FloatVector b0 = FloatVector.fromArray(S, xp, at);
            FloatVector b1 = FloatVector.fromArray(S, xp, at + 8);
            FloatVector a0 = FloatVector.broadcast(S, wt[wi + r]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, wt[wi + patch + r]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, wt[wi + 2 * patch + r]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, wt[wi + 3 * patch + r]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, wt[wi + 4 * patch + r]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, wt[wi + 5 * patch + r]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        c00.intoArray(t, ti + q);
        c01.intoArray(t, ti + q + 8);
        c10.intoArray(t, ti + wide + q);
        c11.intoArray(t, ti + wide + q + 8);
        c20.intoArray(t, ti + 2 * wide + q);
        c21.intoArray(t, ti + 2 * wide + q + 8);
        c30.intoArray(t, ti + 3 * wide + q);
        c31.intoArray(t, ti + 3 * wide + q + 8);
        c40.intoArray(t, ti + 4 * wide + q);
        c41.intoArray(t, ti + 4 * wide + q + 8);
        c50.intoArray(t, ti + 5 * wide + q);
        c51.intoArray(t, ti + 5 * wide + q + 8);
    }

    /** {@link #block4} for two output channels. */
    private static void block2(Conv2d.Geometry g, int[] reads, float[] xp, int xb, float[] wt, int wi, int q, float[] t, int ti, int wide) {
        int patch = g.patch();
        FloatVector c00, c01, c10, c11;
        c00 = c01 = c10 = c11 = FloatVector.zero(S);
        int at0 = xb + q;
        for (int r = 0; r < patch; r++) {
            int at = at0 + reads[r];
            FloatVector b0 = FloatVector.fromArray(S, xp, at);
            FloatVector b1 = FloatVector.fromArray(S, xp, at + 8);
            FloatVector a0 = FloatVector.broadcast(S, wt[wi + r]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, wt[wi + patch + r]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
        }
        c00.intoArray(t, ti + q);
        c01.intoArray(t, ti + q + 8);
        c10.intoArray(t, ti + wide + q);
        c11.intoArray(t, ti + wide + q + 8);
    }

    /**
     * Columns {@code [r0, r1)} of {@link Conv2d#backwardWeight}: 8 patch rows × 8 channels (or 4 × 16)
     * of chains side by side, over the transposed output gradient's rows of {@link #lanes} floats.
     */
    static void backwardWeightColumns(Conv2d.Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, float[] work, int r0, int r1) {
        int oh = g.oh(), ow = g.ow(), plane = oh * ow, oc = g.oc(), lanes = DirectConvShape.lanes(g);
        int inImage = g.c() * g.h() * g.w(), outImage = oc * plane, dyT = DirectConvShape.padded(g), spill = dyT + plane * lanes;
        Arrays.fill(work, 0, spill, 0f);
        boolean unpadded = g.padH() == 0 && g.padW() == 0;
        for (int img = 0; img < g.n(); img++) {
            float[] xs = unpadded ? x : work;
            int xb = unpadded ? xOff + img * inImage : 0;
            if (!unpadded) pad(g, x, xOff + img * inImage, work);
            int src = dyOff + img * outImage;
            for (int o = 0; o < oc; o++)
                for (int p = 0; p < plane; p++) work[dyT + p * lanes + o] = dy[src + o * plane + p];
            int v = 0;
            for (; v + 2 * L <= lanes; v += 2 * L)
                for (int r = r0; r < r1; r += 4) {
                    rows4x2(g, xs, xb, work, dyT + v, lanes, r, r1, work, spill);
                    store(g, work, spill, 2 * L, v, Math.min(4, r1 - r), r, dw, dwOff, img == 0);
                }
            if (v < lanes)
                for (int r = r0; r < r1; r += L) {
                    rows8(g, xs, xb, work, dyT + v, lanes, r, r1, work, spill);
                    store(g, work, spill, L, v, Math.min(L, r1 - r), r, dw, dwOff, img == 0);
                }
        }
    }

    /** Writes (first image) or adds spilled chains: row j of the spill holds channels {@code v..} of patch row {@code r + j}. */
    private static void store(Conv2d.Geometry g, float[] t, int ti, int width, int v, int rows, int r, float[] dw, int dwOff, boolean first) {
        int patch = g.patch(), channels = Math.min(width, g.oc() - v);
        for (int j = 0; j < rows; j++)
            for (int o = 0; o < channels; o++) {
                int at = dwOff + (v + o) * patch + r + j;
                float s = t[ti + j * width + o];
                dw[at] = first ? s : dw[at] + s;
            }
    }

    /** Offset in the padded image of patch row {@code r}'s first read: {@code (ci·hp + ky)·wp + kx}. */
    private static int rowOffset(Conv2d.Geometry g, int r) {
        int window = g.kh() * g.kw(), hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW();
        return (r / window * hp + r % window / g.kw()) * wp + r % g.kw();
    }

    /**
     * Chains of patch rows {@code r..r+3} (the last row repeated past r1) × 16 channels at {@code di}, spilled 16 per row:
     * one chain from zero per K block of pixels ({@link PackedGemm#kBlock} of the plane), the blocks' sums added in order.
     */
    private static void rows4x2(Conv2d.Geometry g, float[] xp, int xb, float[] dt, int di, int lanes, int r, int r1, float[] t, int ti) {
        int wp = g.w() + 2 * g.padW(), ow = g.ow(), plane = g.oh() * ow, kb = PackedGemm.kBlock(plane);
        int x0 = rowOffset(g, r), x1 = rowOffset(g, Math.min(r + 1, r1 - 1));
        int x2 = rowOffset(g, Math.min(r + 2, r1 - 1)), x3 = rowOffset(g, Math.min(r + 3, r1 - 1));
        for (int p0 = 0; p0 < plane; p0 += kb) {
            int p1 = Math.min(plane, p0 + kb);
            FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
            for (int p = p0; p < p1; ) {
                int oy = p / ow, end = Math.min(p1, (oy + 1) * ow);
                int d = di + p * lanes, at = xb + oy * wp + p - oy * ow;
                for (; p < end; p++, d += lanes, at++) {
                    FloatVector d0 = FloatVector.fromArray(S, dt, d), d1 = FloatVector.fromArray(S, dt, d + L);
                    FloatVector a0 = FloatVector.broadcast(S, xp[x0 + at]);
                    c00 = d0.fma(a0, c00);
                    c01 = d1.fma(a0, c01);
                    FloatVector a1 = FloatVector.broadcast(S, xp[x1 + at]);
                    c10 = d0.fma(a1, c10);
                    c11 = d1.fma(a1, c11);
                    FloatVector a2 = FloatVector.broadcast(S, xp[x2 + at]);
                    c20 = d0.fma(a2, c20);
                    c21 = d1.fma(a2, c21);
                    FloatVector a3 = FloatVector.broadcast(S, xp[x3 + at]);
                    c30 = d0.fma(a3, c30);
                    c31 = d1.fma(a3, c31);
                }
            }
            boolean first = p0 == 0;
            spill(c00, t, ti, first);
            spill(c01, t, ti + L, first);
            spill(c10, t, ti + 2 * L, first);
            spill(c11, t, ti + 3 * L, first);
            spill(c20, t, ti + 4 * L, first);
            spill(c21, t, ti + 5 * L, first);
            spill(c30, t, ti + 6 * L, first);
            spill(c31, t, ti + 7 * L, first);
        }
    }

    /** Stores a K block's chains (the first block) or adds them to the blocks before. */
    private static void spill(FloatVector c, float[] t, int at, boolean first) {
        if (first) c.intoArray(t, at);
        else FloatVector.fromArray(S, t, at).add(c).intoArray(t, at);
    }

    /** {@link #rows4x2} for patch rows {@code r..r+7} × 8 channels, spilled 8 per row. */
    private static void rows8(Conv2d.Geometry g, float[] xp, int xb, float[] dt, int di, int lanes, int r, int r1, float[] t, int ti) {
        int wp = g.w() + 2 * g.padW(), ow = g.ow(), plane = g.oh() * ow, kb = PackedGemm.kBlock(plane);
        int x0 = rowOffset(g, r), x1 = rowOffset(g, Math.min(r + 1, r1 - 1));
        int x2 = rowOffset(g, Math.min(r + 2, r1 - 1)), x3 = rowOffset(g, Math.min(r + 3, r1 - 1));
        int x4 = rowOffset(g, Math.min(r + 4, r1 - 1)), x5 = rowOffset(g, Math.min(r + 5, r1 - 1));
        int x6 = rowOffset(g, Math.min(r + 6, r1 - 1)), x7 = rowOffset(g, Math.min(r + 7, r1 - 1));
        for (int p0 = 0; p0 < plane; p0 += kb) {
            int p1 = Math.min(plane, p0 + kb);
            FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
            c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = FloatVector.zero(S);
            for (int p = p0; p < p1; ) {
                int oy = p / ow, end = Math.min(p1, (oy + 1) * ow);
                int d = di + p * lanes, at = xb + oy * wp + p - oy * ow;
                for (; p < end; p++, d += lanes, at++) {
                    FloatVector dv = FloatVector.fromArray(S, dt, d);
                    c0 = dv.fma(FloatVector.broadcast(S, xp[x0 + at]), c0);
                    c1 = dv.fma(FloatVector.broadcast(S, xp[x1 + at]), c1);
                    c2 = dv.fma(FloatVector.broadcast(S, xp[x2 + at]), c2);
                    c3 = dv.fma(FloatVector.broadcast(S, xp[x3 + at]), c3);
                    c4 = dv.fma(FloatVector.broadcast(S, xp[x4 + at]), c4);
                    c5 = dv.fma(FloatVector.broadcast(S, xp[x5 + at]), c5);
                    c6 = dv.fma(FloatVector.broadcast(S, xp[x6 + at]), c6);
                    c7 = dv.fma(FloatVector.broadcast(S, xp[x7 + at]), c7);
                }
            }
            boolean first = p0 == 0;
            spill(c0, t, ti, first);
            spill(c1, t, ti + L, first);
            spill(c2, t, ti + 2 * L, first);
            spill(c3, t, ti + 3 * L, first);
            spill(c4, t, ti + 4 * L, first);
            spill(c5, t, ti + 5 * L, first);
            spill(c6, t, ti + 6 * L, first);
            spill(c7, t, ti + 7 * L, first);
        }
    }
}

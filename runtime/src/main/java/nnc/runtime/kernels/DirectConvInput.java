package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution input gradient without the im2col matrix: the product {@code Wᵀ · dy} and
 * col2im's scatter fused in registers. The output gradient of one image is copied into a "wide"
 * buffer whose rows are {@code wp = w + 2·padW} long (the extra columns zero), so that row
 * {@code r = (ci, ky, kx)} of {@code Wᵀ · dy} at wide position {@code q = oy·wp + ox} belongs to
 * the zero-padded input gradient at offset {@code (ci·hp + ky)·wp + kx + q}: one contiguous vector
 * add per block of positions. The padded gradient's border is dropped at the end.
 *
 * <p>Bitwise the im2col path: each {@code (r, q)} entry is Gemm's chain {@code s = +0;
 * s = fma(w[o, r], dy[o, q], s)} over the output channels in order, and each input element adds
 * its entries in increasing {@code (ky, kx)} order, as col2im does ({@code ci} is fixed per
 * element). The wide columns and the whole-block tail read zeros, so their entries are {@code +0}
 * and adding them changes nothing (the sums start at {@code +0} and so are never {@code −0}).
 * Register blocks are 6 (or 4, or 2) input channels × 16 wide positions.
 *
 * <p>Which geometries and the workspace: {@link DirectConvShape#inputApplies}, {@link DirectConvShape#inputWorkspaceFloats}.
 */
final class DirectConvInput {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Wide positions per register block: two vectors. */
    private static final int NQ = DirectConvShape.NQ;

    private DirectConvInput() {}

    private static int wp(Conv2d.Geometry g) { return g.w() + 2 * g.padW(); }

    private static int hp(Conv2d.Geometry g) { return g.h() + 2 * g.padH(); }

    private static int span(Conv2d.Geometry g) { return DirectConvShape.inputSpan(g); }

    private static int padded(Conv2d.Geometry g) { return DirectConvShape.inputPadded(g); }

    /** Images {@code [i0, i1)} of {@link Conv2d#backwardInput}: overwrites their {@code dx}. */
    static void backwardInputImages(Conv2d.Geometry g, float[] dy, int dyOff, float[] wt, int wOff, float[] dx, int dxOff, float[] work, int i0, int i1) {
        int oh = g.oh(), ow = g.ow(), wp = wp(g), hp = hp(g), span = span(g), c = g.c();
        int plane = oh * ow, inImage = c * g.h() * g.w(), outImage = g.oc() * plane, dxp = g.oc() * span;
        Arrays.fill(work, 0, dxp, 0f);
        for (int img = i0; img < i1; img++) {
            int src = dyOff + img * outImage;
            for (int o = 0; o < g.oc(); o++)
                for (int oy = 0; oy < oh; oy++)
                    System.arraycopy(dy, src + o * plane + oy * ow, work, o * span + oy * wp, ow);
            Arrays.fill(work, dxp, dxp + padded(g), 0f);
            for (int ci = 0; ci < c; ) {
                if (c - ci >= 6 && c - ci != 8) {
                    group6(g, hp, wp, span, wt, wOff, ci, work, dxp);
                    ci += 6;
                } else if (c - ci >= 4) {
                    group4(g, hp, wp, span, wt, wOff, ci, work, dxp);
                    ci += 4;
                } else {
                    boolean pair = c - ci >= 2;
                    group2(g, hp, wp, span, wt, wOff, ci, pair, work, dxp);
                    ci += pair ? 2 : 1;
                }
            }
            for (int ci = 0; ci < c; ci++)
                for (int iy = 0; iy < g.h(); iy++)
                    System.arraycopy(work, dxp + (ci * hp + iy + g.padH()) * wp + g.padW(), dx, dxOff + img * inImage + (ci * g.h() + iy) * g.w(), g.w());
        }
    }

    /** Input channels {@code ci..ci+3}: for each {@code (ky, kx)} in order, every block's chains added into the padded gradient. */
    private static void group4(Conv2d.Geometry g, int hp, int wp, int span, float[] wt, int wOff, int ci, float[] t, int dxp) {
        int kh = g.kh(), kw = g.kw(), window = kh * kw, patch = g.patch(), oc = g.oc(), chan = hp * wp;
        for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++) {
                int wi = wOff + (ci * kh + ky) * kw + kx, d0 = dxp + (ci * hp + ky) * wp + kx;
                for (int q = 0; q < span; q += NQ) {
                    FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
                    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
                    for (int o = 0, at = q, wa = wi; o < oc; o++, at += span, wa += patch) {
                        FloatVector b0 = FloatVector.fromArray(S, t, at);
                        FloatVector b1 = FloatVector.fromArray(S, t, at + 8);
                        FloatVector a0 = FloatVector.broadcast(S, wt[wa]);
                        c00 = a0.fma(b0, c00);
                        c01 = a0.fma(b1, c01);
                        FloatVector a1 = FloatVector.broadcast(S, wt[wa + window]);
                        c10 = a1.fma(b0, c10);
                        c11 = a1.fma(b1, c11);
                        FloatVector a2 = FloatVector.broadcast(S, wt[wa + 2 * window]);
                        c20 = a2.fma(b0, c20);
                        c21 = a2.fma(b1, c21);
                        FloatVector a3 = FloatVector.broadcast(S, wt[wa + 3 * window]);
                        c30 = a3.fma(b0, c30);
                        c31 = a3.fma(b1, c31);
                    }
                    add(t, d0 + q, c00, c01);
                    add(t, d0 + chan + q, c10, c11);
                    add(t, d0 + 2 * chan + q, c20, c21);
                    add(t, d0 + 3 * chan + q, c30, c31);
                }
            }
    }

    /** {@link #group4} for input channels {@code ci..ci+5}: 12 accumulators, more multiply-adds per load. */
    private static void group6(Conv2d.Geometry g, int hp, int wp, int span, float[] wt, int wOff, int ci, float[] t, int dxp) {
        int kh = g.kh(), kw = g.kw(), window = kh * kw, patch = g.patch(), oc = g.oc(), chan = hp * wp;
        for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++) {
                int wi = wOff + (ci * kh + ky) * kw + kx, d0 = dxp + (ci * hp + ky) * wp + kx;
                for (int q = 0; q < span; q += NQ) {
                    FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
                    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
                    for (int o = 0, at = q, wa = wi; o < oc; o++, at += span, wa += patch) {
                        FloatVector b0 = FloatVector.fromArray(S, t, at);
                        FloatVector b1 = FloatVector.fromArray(S, t, at + 8);
                        FloatVector a0 = FloatVector.broadcast(S, wt[wa]);
                        c00 = a0.fma(b0, c00);
                        c01 = a0.fma(b1, c01);
                        FloatVector a1 = FloatVector.broadcast(S, wt[wa + window]);
                        c10 = a1.fma(b0, c10);
                        c11 = a1.fma(b1, c11);
                        FloatVector a2 = FloatVector.broadcast(S, wt[wa + 2 * window]);
                        c20 = a2.fma(b0, c20);
                        c21 = a2.fma(b1, c21);
                        FloatVector a3 = FloatVector.broadcast(S, wt[wa + 3 * window]);
                        c30 = a3.fma(b0, c30);
                        c31 = a3.fma(b1, c31);
                        FloatVector a4 = FloatVector.broadcast(S, wt[wa + 4 * window]);
                        c40 = a4.fma(b0, c40);
                        c41 = a4.fma(b1, c41);
                        FloatVector a5 = FloatVector.broadcast(S, wt[wa + 5 * window]);
                        c50 = a5.fma(b0, c50);
                        c51 = a5.fma(b1, c51);
                    }
                    add(t, d0 + q, c00, c01);
                    add(t, d0 + chan + q, c10, c11);
                    add(t, d0 + 2 * chan + q, c20, c21);
                    add(t, d0 + 3 * chan + q, c30, c31);
                    add(t, d0 + 4 * chan + q, c40, c41);
                    add(t, d0 + 5 * chan + q, c50, c51);
                }
            }
    }

    /** {@link #group4} for input channels {@code ci, ci+1}, or {@code ci} alone when not {@code pair}. */
    private static void group2(Conv2d.Geometry g, int hp, int wp, int span, float[] wt, int wOff, int ci, boolean pair, float[] t, int dxp) {
        int kh = g.kh(), kw = g.kw(), window = kh * kw, patch = g.patch(), oc = g.oc(), chan = hp * wp;
        int second = pair ? window : 0;
        for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++) {
                int wi = wOff + (ci * kh + ky) * kw + kx, d0 = dxp + (ci * hp + ky) * wp + kx;
                for (int q = 0; q < span; q += NQ) {
                    FloatVector c00, c01, c10, c11;
                    c00 = c01 = c10 = c11 = FloatVector.zero(S);
                    for (int o = 0, at = q, wa = wi; o < oc; o++, at += span, wa += patch) {
                        FloatVector b0 = FloatVector.fromArray(S, t, at);
                        FloatVector b1 = FloatVector.fromArray(S, t, at + 8);
                        FloatVector a0 = FloatVector.broadcast(S, wt[wa]);
                        c00 = a0.fma(b0, c00);
                        c01 = a0.fma(b1, c01);
                        FloatVector a1 = FloatVector.broadcast(S, wt[wa + second]);
                        c10 = a1.fma(b0, c10);
                        c11 = a1.fma(b1, c11);
                    }
                    add(t, d0 + q, c00, c01);
                    if (pair) add(t, d0 + chan + q, c10, c11);
                }
            }
    }

    /** {@code t[at .. at+15] += (v0, v1)}. */
    private static void add(float[] t, int at, FloatVector v0, FloatVector v1) {
        FloatVector.fromArray(S, t, at).add(v0).intoArray(t, at);
        FloatVector.fromArray(S, t, at + 8).add(v1).intoArray(t, at + 8);
    }
}

package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward convolution for stride 1 without an im2col matrix: the image is copied once into a
 * zero-padded buffer, and a row of the padded image seen from offset {@code (ci·hp + ky)·wp + kx} is
 * exactly row {@code (ci, ky, kx)} of im2col over a "wide" output of {@code oh × wp} positions (the
 * {@code wp − ow} extra columns of each output row are computed and dropped). A 4×16 (or 2×16)
 * register block of output channels × wide positions runs the same chain as {@link Gemm}:
 * {@code s = +0; s = fma(w[o, r], col[r, q], s)} for {@code r = (ci, ky, kx)} in row-major order, so
 * the result is bitwise the im2col + Gemm result, with no packing and no per-image matrix.
 *
 * <p>Workspace: the padded image ({@code c·hp·wp + kw} floats, its border zeroed once per call) and
 * a 4-row wide output tile; see {@link #workspaceFloats}.
 */
final class DirectConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Wide positions per register block: two vectors. */
    private static final int NQ = 16;

    private DirectConv() {}

    /** Stride 1, two output channels or more, and a wide output of at least one block. */
    static boolean applies(Conv2d.Geometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.oc() >= 2 && g.oh() * (g.w() + 2 * g.padW()) >= NQ;
    }

    static int workspaceFloats(Conv2d.Geometry g) {
        int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW();
        return g.c() * hp * wp + g.kw() + 4 * g.oh() * wp;
    }

    /** Images {@code [i0, i1)} of {@link Conv2d#forward}. */
    static void forwardImages(Conv2d.Geometry g, float[] x, int xOff, float[] wt, int wOff, float[] y, int yOff, float[] work, int i0, int i1) {
        int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW(), padded = g.c() * hp * wp + g.kw();
        int oh = g.oh(), ow = g.ow(), plane = oh * ow, wide = oh * wp, tile = padded;
        int inImage = g.c() * g.h() * g.w(), outImage = g.oc() * plane;
        Arrays.fill(work, 0, padded, 0f);
        for (int img = i0; img < i1; img++) {
            int src = xOff + img * inImage;
            for (int ci = 0; ci < g.c(); ci++)
                for (int iy = 0; iy < g.h(); iy++)
                    System.arraycopy(x, src + (ci * g.h() + iy) * g.w(), work, (ci * hp + iy + g.padH()) * wp + g.padW(), g.w());
            for (int o = 0; o < g.oc(); ) {
                int rows = g.oc() - o >= 4 ? 4 : 2;
                if (rows == 2 && o == g.oc() - 1) o--; // one channel left: redo the one before with it
                for (int q = 0; ; q += NQ) {
                    if (q > wide - NQ) q = wide - NQ;
                    if (rows == 4) block4(g, hp, wp, work, wt, wOff + o * g.patch(), q, work, tile, wide);
                    else block2(g, hp, wp, work, wt, wOff + o * g.patch(), q, work, tile, wide);
                    if (q == wide - NQ) break;
                }
                for (int r = 0; r < rows; r++)
                    for (int oy = 0; oy < oh; oy++)
                        System.arraycopy(work, tile + r * wide + oy * wp, y, yOff + img * outImage + (o + r) * plane + oy * ow, ow);
                o += rows;
            }
        }
    }

    /** Output channels {@code o..o+3} (weights from {@code wi}) at wide positions {@code q..q+15}, into the tile. */
    private static void block4(Conv2d.Geometry g, int hp, int wp, float[] xp, float[] wt, int wi, int q, float[] t, int ti, int wide) {
        int patch = g.patch(), kh = g.kh(), kw = g.kw();
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
        int r = 0;
        for (int ci = 0; ci < g.c(); ci++)
            for (int ky = 0; ky < kh; ky++) {
                int rowAt = (ci * hp + ky) * wp + q;
                for (int kx = 0; kx < kw; kx++, r++) {
                    FloatVector b0 = FloatVector.fromArray(S, xp, rowAt + kx);
                    FloatVector b1 = FloatVector.fromArray(S, xp, rowAt + kx + 8);
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

    /** {@link #block4} for two output channels. */
    private static void block2(Conv2d.Geometry g, int hp, int wp, float[] xp, float[] wt, int wi, int q, float[] t, int ti, int wide) {
        int patch = g.patch(), kh = g.kh(), kw = g.kw();
        FloatVector c00, c01, c10, c11;
        c00 = c01 = c10 = c11 = FloatVector.zero(S);
        int r = 0;
        for (int ci = 0; ci < g.c(); ci++)
            for (int ky = 0; ky < kh; ky++) {
                int rowAt = (ci * hp + ky) * wp + q;
                for (int kx = 0; kx < kw; kx++, r++) {
                    FloatVector b0 = FloatVector.fromArray(S, xp, rowAt + kx);
                    FloatVector b1 = FloatVector.fromArray(S, xp, rowAt + kx + 8);
                    FloatVector a0 = FloatVector.broadcast(S, wt[wi + r]);
                    c00 = a0.fma(b0, c00);
                    c01 = a0.fma(b1, c01);
                    FloatVector a1 = FloatVector.broadcast(S, wt[wi + patch + r]);
                    c10 = a1.fma(b0, c10);
                    c11 = a1.fma(b1, c11);
                }
            }
        c00.intoArray(t, ti + q);
        c01.intoArray(t, ti + q + 8);
        c10.intoArray(t, ti + wide + q);
        c11.intoArray(t, ti + wide + q + 8);
    }
}

package nnc.runtime.kernels;

import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation, as {@code torch.nn.functional.conv2d}) over NCHW tensors,
 * and its two gradients, by im2col and {@link Gemm}.
 *
 * <p>Shapes: input {@code x[n, c, h, w]}, weight {@code w[oc, c, kh, kw]}, output
 * {@code y[n, oc, oh, ow]} with {@code oh = (h + 2·padH − kh) / strideH + 1} (likewise {@code ow});
 * zero padding. Per image, {@code col[c·kh·kw, oh·ow]} holds the input patches, so
 * {@code y_img = W · col} (W viewed as {@code [oc, c·kh·kw]}).
 *
 * <p><b>Exact result.</b> Each output element is Gemm's fixed fused-multiply-add chain over
 * {@code (c, ky, kx)} in row-major order; the weight gradient sums images in increasing order;
 * the input gradient adds patch contributions in increasing {@code (c, ky, kx, oy, ox)} order. So
 * every result is a pure function of the inputs, whatever calls it. Callers pass a workspace of at
 * least {@link Geometry#workspaceFloats()} floats (allocated once, e.g. from the model's arena).
 */
public final class Conv2d {
    private Conv2d() {}

    /** The sizes of one convolution; all positive except the paddings (≥ 0). */
    public record Geometry(int n, int c, int h, int w, int oc, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        public Geometry {
            if (n < 1 || c < 1 || h < 1 || w < 1 || oc < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
                throw new IllegalArgumentException("bad convolution geometry " + this);
            if (h + 2 * padH < kh || w + 2 * padW < kw)
                throw new IllegalArgumentException("kernel " + kh + "×" + kw + " larger than the padded input " + (h + 2 * padH) + "×" + (w + 2 * padW));
        }

        public int oh() { return (h + 2 * padH - kh) / strideH + 1; }

        public int ow() { return (w + 2 * padW - kw) / strideW + 1; }

        /** Rows of the im2col matrix: {@code c·kh·kw}. */
        public int patch() { return c * kh * kw; }

        /** Floats of workspace the kernels need: one image's im2col matrix plus one weight-sized block. */
        public int workspaceFloats() { return patch() * oh() * ow() + oc * patch(); }
    }

    /** {@code y = conv(x, wt)}. */
    public static void forward(Geometry g, float[] x, int xOff, float[] wt, int wOff, float[] y, int yOff, float[] work) {
        int plane = g.oh() * g.ow(), inImage = g.c * g.h * g.w, outImage = g.oc * plane;
        for (int img = 0; img < g.n; img++) {
            im2col(g, x, xOff + img * inImage, work);
            Gemm.matmul(false, false, g.oc, plane, g.patch(), wt, wOff, work, 0, y, yOff + img * outImage);
        }
    }

    /** {@code dx = ∂⟨conv(x, wt), dy⟩/∂x}: overwrites {@code dx}. */
    public static void backwardInput(Geometry g, float[] dy, int dyOff, float[] wt, int wOff, float[] dx, int dxOff, float[] work) {
        int plane = g.oh() * g.ow(), inImage = g.c * g.h * g.w, outImage = g.oc * plane;
        Arrays.fill(dx, dxOff, dxOff + g.n * inImage, 0f);
        for (int img = 0; img < g.n; img++) {
            Gemm.matmul(true, false, g.patch(), plane, g.oc, wt, wOff, dy, dyOff + img * outImage, work, 0);
            col2imAdd(g, work, dx, dxOff + img * inImage);
        }
    }

    /** {@code dw = ∂⟨conv(x, wt), dy⟩/∂wt}: overwrites {@code dw}. */
    public static void backwardWeight(Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, float[] work) {
        int plane = g.oh() * g.ow(), inImage = g.c * g.h * g.w, outImage = g.oc * plane;
        int colSize = g.patch() * plane, wSize = g.oc * g.patch();
        for (int img = 0; img < g.n; img++) {
            im2col(g, x, xOff + img * inImage, work);
            if (img == 0) {
                Gemm.matmul(false, true, g.oc, g.patch(), plane, dy, dyOff, work, 0, dw, dwOff);
            } else {
                Gemm.matmul(false, true, g.oc, g.patch(), plane, dy, dyOff + img * outImage, work, 0, work, colSize);
                for (int i = 0; i < wSize; i++) dw[dwOff + i] += work[colSize + i];
            }
        }
    }

    /** One image's patches: {@code col[(ci·kh + ky)·kw + kx][oy·ow + ox] = x[ci, oy·s − p + ky, ox·s − p + kx]} or 0. */
    static void im2col(Geometry g, float[] x, int xOff, float[] col) {
        int oh = g.oh(), ow = g.ow(), row = 0;
        for (int ci = 0; ci < g.c; ci++)
            for (int ky = 0; ky < g.kh; ky++)
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH - g.padH + ky;
                        int dst = base + oy * ow;
                        if (iy < 0 || iy >= g.h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = xOff + (ci * g.h + iy) * g.w;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * g.strideW - g.padW + kx;
                            col[dst + ox] = ix >= 0 && ix < g.w ? x[src + ix] : 0f;
                        }
                    }
                }
    }

    /** Adds each patch entry of {@code col} back to the input position it was read from (the adjoint of im2col). */
    static void col2imAdd(Geometry g, float[] col, float[] dx, int dxOff) {
        int oh = g.oh(), ow = g.ow(), row = 0;
        for (int ci = 0; ci < g.c; ci++)
            for (int ky = 0; ky < g.kh; ky++)
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH - g.padH + ky;
                        if (iy < 0 || iy >= g.h) continue;
                        int dst = dxOff + (ci * g.h + iy) * g.w, src = base + oy * ow;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * g.strideW - g.padW + kx;
                            if (ix >= 0 && ix < g.w) dx[dst + ix] += col[src + ox];
                        }
                    }
                }
    }
}

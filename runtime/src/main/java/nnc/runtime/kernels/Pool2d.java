package nnc.runtime.kernels;

import java.util.Arrays;

/**
 * 2-D max and average pooling over NCHW tensors, and their gradients, as
 * {@code torch.nn.functional.max_pool2d / avg_pool2d} with {@code ceil_mode=False} and (for the
 * average) {@code count_include_pad=True}: input {@code x[n, c, h, w]}, output
 * {@code y[n, c, oh, ow]}, {@code oh = (h + 2·pad − k) / stride + 1}. Padding never wins a max.
 *
 * <p>Windows are scanned in row-major order; the max gradient goes to the first position holding
 * the maximum (recomputed from {@code x}, so nothing is saved between passes), and gradients of
 * overlapping windows are added in increasing output order: results are pure functions of the inputs.
 * Planes are independent, so they are split over the {@link Parallelism} threads without changing a bit.
 */
public final class Pool2d {
    private Pool2d() {}

    /** Sizes of one pooling; {@code planes = n·c}. */
    public record Geometry(int planes, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        public Geometry {
            if (planes < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
                throw new IllegalArgumentException("bad pooling geometry " + this);
            if (2 * padH > kh || 2 * padW > kw)
                throw new IllegalArgumentException("padding " + padH + "×" + padW + " exceeds half the window " + kh + "×" + kw);
            if (h + 2 * padH < kh || w + 2 * padW < kw)
                throw new IllegalArgumentException("window " + kh + "×" + kw + " larger than the padded input " + (h + 2 * padH) + "×" + (w + 2 * padW));
        }

        public int oh() { return (h + 2 * padH - kh) / strideH + 1; }

        public int ow() { return (w + 2 * padW - kw) / strideW + 1; }
    }

    public static void maxForward(Geometry g, float[] x, int xOff, float[] y, int yOff) {
        split(SpatialSplit.Kind.MAX_FORWARD, g, x, xOff, null, 0, y, yOff);
    }

    /** {@code dx} (overwritten) receives each {@code dy} at its window's first maximum. */
    public static void maxBackward(Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        split(SpatialSplit.Kind.MAX_BACKWARD, g, x, xOff, dy, dyOff, dx, dxOff);
    }

    public static void avgForward(Geometry g, float[] x, int xOff, float[] y, int yOff) {
        split(SpatialSplit.Kind.AVG_FORWARD, g, x, xOff, null, 0, y, yOff);
    }

    /** {@code dx} (overwritten) receives {@code dy / (kh·kw)} at every position of each window. */
    public static void avgBackward(Geometry g, float[] dy, int dyOff, float[] dx, int dxOff) {
        split(SpatialSplit.Kind.AVG_BACKWARD, g, dy, dyOff, null, 0, dx, dxOff);
    }

    /** Runs one routine on all planes, split by planes over the {@link Parallelism} threads. */
    private static void split(SpatialSplit.Kind kind, Geometry g, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int parts = SpatialSplit.poolParts(g);
        if (parts == 1) planes(kind, g, a, aOff, b, bOff, out, outOff, 0, g.planes);
        else SpatialSplit.run(kind, parts, null, g, g.planes, a, aOff, b, bOff, out, outOff, null);
    }

    /** Planes {@code [p0, p1)} of one routine: a = x (max) or the forward input/dy (avg), b = dy (max backward). */
    static void planes(SpatialSplit.Kind kind, Geometry g, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int p0, int p1) {
        switch (kind) {
            case MAX_FORWARD -> maxForward(g, a, aOff, out, outOff, p0, p1);
            case MAX_BACKWARD -> maxBackward(g, a, aOff, b, bOff, out, outOff, p0, p1);
            case AVG_FORWARD -> avgForward(g, a, aOff, out, outOff, p0, p1);
            case AVG_BACKWARD -> avgBackward(g, a, aOff, out, outOff, p0, p1);
            default -> throw new IllegalArgumentException(kind + " is not a pooling");
        }
    }

    private static void maxForward(Geometry g, float[] x, int xOff, float[] y, int yOff, int p0, int p1) {
        if (VectorSupport.AVAILABLE && pairs(g)) {
            MaxPoolPairs.forward(g, x, xOff, y, yOff, p0, p1);
            return;
        }
        int oh = g.oh(), ow = g.ow(), plane = g.h * g.w;
        for (int p = p0; p < p1; p++) {
            int planeOff = xOff + p * plane;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    y[yOff + (p * oh + oy) * ow + ox] = x[planeOff + argmax(g, x, planeOff, oy, ox)];
        }
    }

    private static void maxBackward(Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int p0, int p1) {
        boolean pairs = pairs(g);
        if (VectorSupport.AVAILABLE && pairs) {
            MaxPoolPairs.backward(g, x, xOff, dy, dyOff, dx, dxOff, p0, p1);
            return;
        }
        int oh = g.oh(), ow = g.ow(), plane = g.h * g.w;
        Arrays.fill(dx, dxOff + p0 * plane, dxOff + p1 * plane, 0f);
        for (int p = p0; p < p1; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    int at = dxOff + p * plane + argmax(g, x, xOff + p * plane, oy, ox);
                    float d = dy[dyOff + (p * oh + oy) * ow + ox];
                    // windows that cannot overlap write, as MaxPoolPairs does (a -0 gradient stays -0)
                    dx[at] = pairs ? d : dx[at] + d;
                }
    }

    /** 2×2 windows, stride 2, no padding: {@link MaxPoolPairs}' geometry, tested without loading that Vector API class. */
    private static boolean pairs(Geometry g) {
        return g.kh == 2 && g.kw == 2 && g.strideH == 2 && g.strideW == 2 && g.padH == 0 && g.padW == 0;
    }

    private static void avgForward(Geometry g, float[] x, int xOff, float[] y, int yOff, int p0, int p1) {
        int oh = g.oh(), ow = g.ow(), plane = g.h * g.w;
        float scale = 1f / (g.kh * g.kw);
        for (int p = p0; p < p1; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    float s = 0f;
                    for (int ky = 0; ky < g.kh; ky++) {
                        int iy = oy * g.strideH - g.padH + ky;
                        if (iy < 0 || iy >= g.h) continue;
                        for (int kx = 0; kx < g.kw; kx++) {
                            int ix = ox * g.strideW - g.padW + kx;
                            if (ix >= 0 && ix < g.w) s += x[xOff + p * plane + iy * g.w + ix];
                        }
                    }
                    y[yOff + (p * oh + oy) * ow + ox] = s * scale;
                }
    }

    private static void avgBackward(Geometry g, float[] dy, int dyOff, float[] dx, int dxOff, int p0, int p1) {
        int oh = g.oh(), ow = g.ow(), plane = g.h * g.w;
        float scale = 1f / (g.kh * g.kw);
        Arrays.fill(dx, dxOff + p0 * plane, dxOff + p1 * plane, 0f);
        for (int p = p0; p < p1; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    float d = dy[dyOff + (p * oh + oy) * ow + ox] * scale;
                    for (int ky = 0; ky < g.kh; ky++) {
                        int iy = oy * g.strideH - g.padH + ky;
                        if (iy < 0 || iy >= g.h) continue;
                        for (int kx = 0; kx < g.kw; kx++) {
                            int ix = ox * g.strideW - g.padW + kx;
                            if (ix >= 0 && ix < g.w) dx[dxOff + p * plane + iy * g.w + ix] += d;
                        }
                    }
                }
    }

    /** Offset within the plane of the first maximum of window (oy, ox); padding is skipped. */
    private static int argmax(Geometry g, float[] x, int planeOff, int oy, int ox) {
        int y0 = oy * g.strideH - g.padH, x0 = ox * g.strideW - g.padW;
        int ky0 = Math.max(0, -y0), ky1 = Math.min(g.kh, g.h - y0), kx0 = Math.max(0, -x0), kx1 = Math.min(g.kw, g.w - x0);
        int best = (y0 + ky0) * g.w + x0 + kx0;
        float max = x[planeOff + best];
        for (int ky = ky0; ky < ky1; ky++) {
            int row = (y0 + ky) * g.w + x0;
            for (int kx = kx0; kx < kx1; kx++) {
                float v = x[planeOff + row + kx];
                if (v > max || v != v && max == max) {
                    best = row + kx;
                    max = v;
                }
            }
        }
        return best;
    }
}

package nnc.interp;

import nnc.ir.Op;
import nnc.ir.SpatialFn;

/**
 * Convolution and pooling in double by direct loops over every (image, channel, output position,
 * window offset, with dilation and channel groups), independent of the runtime's im2col kernels:
 * the reference for gradient checks.
 * Zero padding; a max ignores padding and its gradient goes to the first maximum in row-major order.
 */
final class F64Spatial {
    private F64Spatial() {}

    /**
     * @param n batch, {@code c} forward input channels, {@code oc} convolution output channels
     * @param a first input, {@code b} second input (null for single-input ops)
     */
    static double[] evaluate(Op.Spatial s, int n, int c, int oc, double[] a, double[] b) {
        int h = s.inH(), w = s.inW(), kh = s.kh(), kw = s.kw(), oh = s.outH(), ow = s.outW();
        double[] out = switch (s.fn()) {
            case CONV2D -> new double[n * oc * oh * ow];
            case CONV2D_GRAD_WEIGHT -> new double[oc * (c / s.groups()) * kh * kw];
            case MAX_POOL2D, AVG_POOL2D -> new double[n * c * oh * ow];
            case CONV2D_GRAD_INPUT, MAX_POOL2D_GRAD, AVG_POOL2D_GRAD -> new double[n * c * h * w];
        };
        boolean conv = s.fn().isConv();
        int outCh = conv ? oc : c;
        for (int img = 0; img < n; img++)
            for (int o = 0; o < outCh; o++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        int yi = ((img * outCh + o) * oh + oy) * ow + ox;
                        int y0 = oy * s.sh() - s.ph(), x0 = ox * s.sw() - s.pw();
                        if (conv) convWindow(s, a, b, out, img, o, c, oc, yi, y0, x0);
                        else poolWindow(s.fn(), a, b, out, (img * c + o) * h * w, yi, y0, x0, h, w, kh, kw);
                    }
        return out;
    }

    /** Output channel {@code o} reads the input channels of its group, taps {@code dh, dw} apart. */
    private static void convWindow(Op.Spatial s, double[] a, double[] b, double[] out, int img, int o, int c, int oc, int yi, int y0, int x0) {
        SpatialFn fn = s.fn();
        int h = s.inH(), w = s.inW(), kh = s.kh(), kw = s.kw(), cg = c / s.groups(), first = o / (oc / s.groups()) * cg;
        for (int cj = 0; cj < cg; cj++)
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++) {
                    int iy = y0 + ky * s.dh(), ix = x0 + kx * s.dw();
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    int xi = ((img * c + first + cj) * h + iy) * w + ix, wi = ((o * cg + cj) * kh + ky) * kw + kx;
                    switch (fn) {
                        case CONV2D -> out[yi] += a[xi] * b[wi];                 // a = x, b = w
                        case CONV2D_GRAD_INPUT -> out[xi] += a[yi] * b[wi];      // a = dy, b = w
                        case CONV2D_GRAD_WEIGHT -> out[wi] += a[xi] * b[yi];     // a = x, b = dy
                        default -> throw new IllegalStateException(fn.text());
                    }
                }
    }

    private static void poolWindow(SpatialFn fn, double[] a, double[] b, double[] out, int plane, int yi, int y0, int x0,
                                   int h, int w, int kh, int kw) {
        int best = -1;
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++) {
                int iy = y0 + ky, ix = x0 + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                int xi = plane + iy * w + ix;
                switch (fn) {
                    case MAX_POOL2D, MAX_POOL2D_GRAD -> {
                        if (best < 0 || a[xi] > max) {
                            best = xi;
                            max = a[xi];
                        }
                    }
                    case AVG_POOL2D -> sum += a[xi];
                    case AVG_POOL2D_GRAD -> out[xi] += a[yi] / (kh * kw); // a = dy
                    default -> throw new IllegalStateException(fn.text());
                }
            }
        switch (fn) {
            case MAX_POOL2D -> out[yi] = max;
            case MAX_POOL2D_GRAD -> out[best] += b[yi]; // a = x, b = dy
            case AVG_POOL2D -> out[yi] = sum / (kh * kw);
            default -> { }
        }
    }
}

package nnc.runtime.kernels;

import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation, as {@code torch.nn.functional.conv2d}) over NCHW tensors,
 * and its two gradients, by im2col and {@link Gemm}; stride-1 forward and weight gradient by
 * {@link DirectConv}, which runs the same chains on the padded image without the im2col matrix
 * (the weight gradient of eight images or more by {@link LaneConv}, eight images per vector),
 * and the stride-1 input gradient by {@link DirectConvInput}, which fuses the product and col2im.
 *
 * <p>Shapes: input {@code x[n, c, h, w]}, weight {@code w[oc, c, kh, kw]}, output
 * {@code y[n, oc, oh, ow]} with {@code oh = (h + 2·padH − kh) / strideH + 1} (likewise {@code ow});
 * zero padding. Per image, {@code col[c·kh·kw, oh·ow]} holds the input patches, so
 * {@code y_img = W · col} (W viewed as {@code [oc, c·kh·kw]}).
 *
 * <p><b>Exact result.</b> Each output element is Gemm's fixed sum of fused-multiply-add chains
 * (one per K block, see {@link Gemm}) over {@code (c, ky, kx)} in row-major order; the weight
 * gradient is Gemm's over the pixels of each image, and sums images in increasing order;
 * the input gradient adds patch contributions in increasing {@code (c, ky, kx, oy, ox)} order. So
 * every result is a pure function of the inputs, whatever calls it. Callers pass a workspace of at
 * least {@link Geometry#workspaceFloats()} floats (allocated once, e.g. from the model's arena).
 */
public final class Conv2d {

    private Conv2d() {}

    /**
     * The sizes of one convolution; all positive except the paddings (≥ 0). {@code dilH × dilW}
     * spaces the window's taps; {@code groups} splits the channels into that many independent
     * convolutions of {@code c / groups} inputs and {@code oc / groups} outputs (the weight is
     * {@code [oc, c / groups, kh, kw]}), as {@code torch.nn.functional.conv2d}.
     */
    public record Geometry(int n, int c, int h, int w, int oc, int kh, int kw, int strideH, int strideW, int padH, int padW,
                           int dilH, int dilW, int groups) {
        public Geometry {
            if (n < 1 || c < 1 || h < 1 || w < 1 || oc < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0
                    || dilH < 1 || dilW < 1 || groups < 1 || c % groups != 0 || oc % groups != 0)
                throw new IllegalArgumentException("bad convolution geometry " + this);
            if (h + 2 * padH < dilH * (kh - 1) + 1 || w + 2 * padW < dilW * (kw - 1) + 1)
                throw new IllegalArgumentException("kernel " + kh + "×" + kw + " larger than the padded input " + (h + 2 * padH) + "×" + (w + 2 * padW));
        }

        /** No dilation, one group. */
        public Geometry(int n, int c, int h, int w, int oc, int kh, int kw, int strideH, int strideW, int padH, int padW) {
            this(n, c, h, w, oc, kh, kw, strideH, strideW, padH, padW, 1, 1, 1);
        }

        public int oh() { return (h + 2 * padH - dilH * (kh - 1) - 1) / strideH + 1; }

        public int ow() { return (w + 2 * padW - dilW * (kw - 1) - 1) / strideW + 1; }

        /** Rows of the im2col matrix, the weight's row length: {@code (c / groups)·kh·kw}. */
        public int patch() { return c / groups * kh * kw; }

        /** No dilation and one group: the direct kernels' case. */
        boolean plain() { return dilH == 1 && dilW == 1 && groups == 1; }

        /** Floats of workspace the kernels need: one group's im2col matrix plus one weight-sized block, or the direct kernels' if larger. */
        public int workspaceFloats() {
            int floats = patch() * oh() * ow() + oc * patch(); // the same with or without vectors
            if (DirectConvShape.applies(this)) floats = Math.max(floats, DirectConvShape.workspaceFloats(this));
            if (DirectConvShape.lanesApply(this)) floats = Math.max(floats, DirectConvShape.laneWorkspaceFloats(this));
            if (DirectConvShape.inputApplies(this)) floats = Math.max(floats, DirectConvShape.inputWorkspaceFloats(this));
            return floats;
        }
    }

    /** {@code y = conv(x, wt)}; images are split over the {@link Parallelism} threads. */
    public static void forward(Geometry g, float[] x, int xOff, float[] wt, int wOff, float[] y, int yOff, float[] work) {
        int parts = SpatialSplit.convParts(g, g.n);
        if (parts == 1) forwardImages(g, x, xOff, wt, wOff, y, yOff, work, 0, g.n);
        else SpatialSplit.run(SpatialSplit.Kind.CONV_FORWARD, parts, g, null, g.n, x, xOff, wt, wOff, y, yOff, work);
    }

    /** {@code dx = ∂⟨conv(x, wt), dy⟩/∂x}: overwrites {@code dx}; images are split over the threads. */
    public static void backwardInput(Geometry g, float[] dy, int dyOff, float[] wt, int wOff, float[] dx, int dxOff, float[] work) {
        int parts = SpatialSplit.convParts(g, g.n);
        if (parts == 1) backwardInputImages(g, dy, dyOff, wt, wOff, dx, dxOff, work, 0, g.n);
        else SpatialSplit.run(SpatialSplit.Kind.CONV_BACKWARD_INPUT, parts, g, null, g.n, dy, dyOff, wt, wOff, dx, dxOff, work);
    }

    /**
     * {@code dw = ∂⟨conv(x, wt), dy⟩/∂wt}: overwrites {@code dw}. Split by columns of dw (rows of the
     * im2col matrix), so every element still sums the images in increasing order on one thread.
     */
    public static void backwardWeight(Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, float[] work) {
        int parts = SpatialSplit.convParts(g, g.patch());
        if (parts == 1) backwardWeightColumns(g, x, xOff, dy, dyOff, dw, dwOff, work, 0, g.patch());
        else SpatialSplit.run(SpatialSplit.Kind.CONV_BACKWARD_WEIGHT, parts, g, null, g.patch(), x, xOff, dy, dyOff, dw, dwOff, work);
    }

    /** {@link #forward} for images {@code [i0, i1)}. */
    static void forwardImages(Geometry g, float[] x, int xOff, float[] wt, int wOff, float[] y, int yOff, float[] work, int i0, int i1) {
        if (direct(g, g.patch())) {
            if (laneForward(g)) LaneConvForward.forwardImages(g, x, xOff, wt, wOff, y, yOff, work, i0, i1);
            else DirectConv.forwardImages(g, x, xOff, wt, wOff, y, yOff, work, i0, i1);
            return;
        }
        int plane = g.oh() * g.ow(), inImage = g.c * g.h * g.w, outImage = g.oc * plane;
        int patch = g.patch(), ocg = g.oc / g.groups, inGroup = g.c / g.groups * g.h * g.w;
        for (int img = i0; img < i1; img++)
            for (int grp = 0; grp < g.groups; grp++) {
                im2col(g, x, xOff + img * inImage + grp * inGroup, work, 0, patch);
                Gemm.matmul(false, false, ocg, plane, patch, wt, wOff + grp * ocg * patch, work, 0, y, yOff + img * outImage + grp * ocg * plane);
            }
    }

    /** {@link #backwardInput} for images {@code [i0, i1)}. */
    static void backwardInputImages(Geometry g, float[] dy, int dyOff, float[] wt, int wOff, float[] dx, int dxOff, float[] work, int i0, int i1) {
        if (directInputGradient(g)) {
            if (laneInputGradient(g)) LaneConvInput.backwardInputImages(g, dy, dyOff, wt, wOff, dx, dxOff, work, i0, i1);
            else DirectConvInput.backwardInputImages(g, dy, dyOff, wt, wOff, dx, dxOff, work, i0, i1);
            return;
        }
        int plane = g.oh() * g.ow(), inImage = g.c * g.h * g.w, outImage = g.oc * plane;
        int patch = g.patch(), ocg = g.oc / g.groups, inGroup = g.c / g.groups * g.h * g.w;
        Arrays.fill(dx, dxOff + i0 * inImage, dxOff + i1 * inImage, 0f);
        for (int img = i0; img < i1; img++)
            for (int grp = 0; grp < g.groups; grp++) {
                Gemm.matmul(true, false, patch, plane, ocg, wt, wOff + grp * ocg * patch, dy, dyOff + img * outImage + grp * ocg * plane, work, 0);
                col2imAdd(g, g.c / g.groups, work, dx, dxOff + img * inImage + grp * inGroup);
            }
    }

    /**
     * {@link #backwardWeight} for columns {@code [r0, r1)} of dw: per image, those im2col rows, their
     * product with dy into the workspace, then stored (first image) or added into dw.
     */
    static void backwardWeightColumns(Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, float[] work, int r0, int r1) {
        if (lanes(g) && r1 - r0 >= 4) {
            LaneConv.backwardWeightColumns(g, x, xOff, dy, dyOff, dw, dwOff, work, r0, r1);
            return;
        }
        if (directWeightGradient(g)) {
            DirectConv.backwardWeightColumns(g, x, xOff, dy, dyOff, dw, dwOff, work, r0, r1);
            return;
        }
        int plane = g.oh() * g.ow(), inImage = g.c * g.h * g.w, outImage = g.oc * plane;
        int cols = r1 - r0, patch = g.patch(), colSize = cols * plane;
        int ocg = g.oc / g.groups, inGroup = g.c / g.groups * g.h * g.w;
        for (int grp = 0; grp < g.groups; grp++)
            for (int img = 0; img < g.n; img++) {
                im2col(g, x, xOff + img * inImage + grp * inGroup, work, r0, r1);
                Gemm.matmul(false, true, ocg, cols, plane, dy, dyOff + img * outImage + grp * ocg * plane, work, 0, work, colSize);
                for (int o = 0; o < ocg; o++) {
                    int dst = dwOff + (grp * ocg + o) * patch + r0, src = colSize + o * cols;
                    if (img == 0) System.arraycopy(work, src, dw, dst, cols);
                    else for (int r = 0; r < cols; r++) dw[dst + r] += work[src + r];
                }
            }
    }

    /**
     * Rows {@code [r0, r1)} of one image's (or one group's) patches, from row 0 of {@code col}:
     * {@code col[(ci·kh + ky)·kw + kx − r0][oy·ow + ox] = x[ci, oy·s − p + ky·d, ox·s − p + kx·d]} or 0
     * ({@code d} the dilation).
     * Each output row is a zero head, a copied (stride 1) or strided middle, and a zero tail.
     */
    static void im2col(Geometry g, float[] x, int xOff, float[] col, int r0, int r1) {
        int oh = g.oh(), ow = g.ow(), window = g.kh * g.kw, sw = g.strideW;
        for (int row = r0; row < r1; row++) {
            int ci = row / window, ky = row % window / g.kw * g.dilH, kx = row % g.kw * g.dilW;
            int base = (row - r0) * oh * ow;
            int lo = Math.min(ow, firstInside(kx - g.padW, sw)), hi = Math.max(lo, Math.min(ow, lastInside(kx - g.padW, sw, g.w)));
            for (int oy = 0; oy < oh; oy++) {
                int iy = oy * g.strideH - g.padH + ky;
                int dst = base + oy * ow;
                if (iy < 0 || iy >= g.h) {
                    Arrays.fill(col, dst, dst + ow, 0f);
                    continue;
                }
                int src = xOff + (ci * g.h + iy) * g.w + kx - g.padW;
                if (lo > 0) Arrays.fill(col, dst, dst + lo, 0f);
                if (sw > 1) for (int ox = lo; ox < hi; ox++) col[dst + ox] = x[src + ox * sw];
                else if (hi > lo) System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                if (hi < ow) Arrays.fill(col, dst + hi, dst + ow, 0f);
            }
        }
    }

    /** The first {@code ox ≥ 0} with {@code ox·stride + shift ≥ 0}. */
    private static int firstInside(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** One past the last {@code ox} with {@code ox·stride + shift < size} (may exceed the output width). */
    private static int lastInside(int shift, int stride, int size) {
        return size - shift <= 0 ? 0 : (size - shift - 1) / stride + 1;
    }

    /**
     * Adds each patch entry of {@code col} back to the input position it was read from (the adjoint of
     * im2col), in increasing {@code (c, ky, kx, oy, ox)} order per input element; stride-1 rows are
     * added with vectors (each element still receives one add per row, in the same order).
     */
    static void col2imAdd(Geometry g, float[] col, float[] dx, int dxOff) {
        col2imAdd(g, g.c, col, dx, dxOff);
    }

    /** {@link #col2imAdd} for one group of {@code channels} input channels. */
    static void col2imAdd(Geometry g, int channels, float[] col, float[] dx, int dxOff) {
        int oh = g.oh(), ow = g.ow(), sw = g.strideW, row = 0;
        for (int ci = 0; ci < channels; ci++)
            for (int ky = 0; ky < g.kh * g.dilH; ky += g.dilH)
                for (int kx = 0; kx < g.kw * g.dilW; kx += g.dilW, row++) {
                    int base = row * oh * ow;
                    int lo = Math.min(ow, firstInside(kx - g.padW, sw)), hi = Math.max(lo, Math.min(ow, lastInside(kx - g.padW, sw, g.w)));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH - g.padH + ky;
                        if (iy < 0 || iy >= g.h) continue;
                        int dst = dxOff + (ci * g.h + iy) * g.w + kx - g.padW, src = base + oy * ow;
                        if (sw == 1) addRow(col, src, dx, dst, lo, hi);
                        else for (int ox = lo; ox < hi; ox++) dx[dst + ox * sw] += col[src + ox];
                    }
                }
    }

    /** {@code dx[dst + i] += col[src + i]} for {@code i} in {@code [lo, hi)}: whole vectors first when {@link VectorSupport#AVAILABLE}. */
    private static void addRow(float[] col, int src, float[] dx, int dst, int lo, int hi) {
        int i = VectorSupport.AVAILABLE ? VectorRows.add(col, src, dx, dst, lo, hi) : lo;
        for (; i < hi; i++) dx[dst + i] += col[src + i];
    }

    /**
     * Whether {@link DirectConv} (Vector API) computes {@code g}'s stride-1 forward, else im2col and
     * {@link Gemm}: only with {@code jdk.incubator.vector}, and only when its single FMA chain over the
     * patch is Gemm's sum of K blocks, i.e. the patch is one block ({@link PackedGemm#kBlock}), so both
     * give the same bits.
     */
    static boolean direct(Geometry g, int k) {
        return directWeightGradient(g) && PackedGemm.kBlock(k) >= k;
    }

    /**
     * Whether {@link DirectConv} computes {@code g}'s stride-1 weight gradient, else im2col and
     * {@link Gemm}: only with {@code jdk.incubator.vector}; its chains over an image's pixels follow
     * Gemm's K blocks, so both give the same bits.
     */
    static boolean directWeightGradient(Geometry g) {
        return VectorSupport.AVAILABLE && DirectConvShape.applies(g);
    }

    /**
     * Whether {@link LaneConv} (Vector API, eight images per vector) computes {@code g}'s stride-1 weight
     * gradient, else {@link #directWeightGradient}: from eight images on, so that its lanes are full.
     */
    static boolean lanes(Geometry g) {
        return VectorSupport.AVAILABLE && g.n >= DirectConvShape.LANES && DirectConvShape.lanesApply(g);
    }

    /**
     * Whether {@link LaneConvForward} (eight images per vector) computes {@code g}'s {@link #direct} forward
     * instead of {@link DirectConv}: when the latter's wide output ({@code oh × (w + 2·padW)} positions)
     * is over a fifth larger than the output, whose extra columns are work thrown away (LeNet's second
     * layer: 140 for 100; its first: 896 for 784 stays direct), and the lane kernel's 4 × 2 block fits.
     */
    static boolean laneForward(Geometry g) {
        int plane = g.oh() * g.ow(), wide = g.oh() * (g.w + 2 * g.padW);
        return VectorSupport.AVAILABLE && g.n >= DirectConvShape.LANES && DirectConvShape.lanesApply(g)
                && plane >= LaneConvForward.POSITIONS && 4L * wide > 5L * plane;
    }

    /**
     * Whether {@link LaneConvInput} (eight images per vector) computes {@code g}'s {@link #directInputGradient} instead of
     * {@link DirectConvInput}: when the latter's wide output gradient ({@link DirectConvShape#inputSpan} positions per
     * channel) is over a fifth larger than the output (LeNet's second layer: 144 for 100).
     */
    static boolean laneInputGradient(Geometry g) {
        return VectorSupport.AVAILABLE && g.n >= DirectConvShape.LANES && DirectConvShape.lanesApply(g)
                && 4L * DirectConvShape.inputSpan(g) > 5L * g.oh() * g.ow();
    }

    /**
     * Whether {@link DirectConvInput} computes {@code g}'s stride-1 input gradient, else im2col, {@link Gemm}
     * and col2im: only with {@code jdk.incubator.vector}, and only when its chain over the output channels
     * is one K block ({@link PackedGemm#kBlock}), so both give the same bits.
     */
    static boolean directInputGradient(Geometry g) {
        return VectorSupport.AVAILABLE && DirectConvShape.inputApplies(g) && PackedGemm.kBlock(g.oc()) >= g.oc();
    }
}

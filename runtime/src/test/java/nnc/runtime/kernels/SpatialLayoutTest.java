package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * im2col, its adjoint and max pooling against their element-by-element definitions, bitwise: the
 * kernels copy ranges and take shortcuts for common windows, the references here test every
 * index. Pooling inputs are drawn from a few values, so ties, signed zeros and NaNs are common.
 */
class SpatialLayoutTest {
    static Stream<Conv2d.Geometry> convs() {
        SplittableRandom rnd = new SplittableRandom(14);
        Stream<Conv2d.Geometry> fixed = Stream.of(
                new Conv2d.Geometry(1, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),
                new Conv2d.Geometry(1, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),
                new Conv2d.Geometry(1, 2, 1, 1, 1, 7, 7, 1, 1, 3, 3),
                new Conv2d.Geometry(1, 3, 9, 13, 2, 3, 4, 2, 3, 2, 3));
        Stream<Conv2d.Geometry> random = IntStream.range(0, 40).mapToObj(i -> {
            int k = 1 + rnd.nextInt(5), kw = 1 + rnd.nextInt(5), pad = rnd.nextInt(k), padW = rnd.nextInt(kw);
            int h = Math.max(1, k - 2 * pad + rnd.nextInt(12)), w = Math.max(1, kw - 2 * padW + rnd.nextInt(30));
            return new Conv2d.Geometry(1, 1 + rnd.nextInt(3), h, w, 2, k, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), pad, padW);
        });
        return Stream.concat(fixed, random);
    }

    @ParameterizedTest
    @MethodSource("convs")
    void im2colAndItsAdjointMatchTheirDefinitions(Conv2d.Geometry g) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        int off = 3, plane = g.oh() * g.ow(), image = g.c() * g.h() * g.w();
        float[] x = random(rnd, off + image);
        float[] col = new float[g.patch() * plane];
        Arrays.fill(col, Float.NaN);
        Conv2d.im2col(g, x, off, col, 0, g.patch());
        assertArrayEquals(im2colByDefinition(g, x, off, 0, g.patch()), col);
        int r0 = g.patch() / 3, r1 = Math.max(r0 + 1, g.patch() - 1);
        float[] part = new float[(r1 - r0) * plane];
        Conv2d.im2col(g, x, off, part, r0, r1);
        assertArrayEquals(im2colByDefinition(g, x, off, r0, r1), part);

        float[] cols = random(rnd, g.patch() * plane), dx = random(rnd, off + image), expected = dx.clone();
        Conv2d.col2imAdd(g, cols, dx, off);
        col2imByDefinition(g, cols, expected, off);
        assertArrayEquals(expected, dx);
    }

    static Stream<Conv2d.Geometry> stride1() {
        SplittableRandom rnd = new SplittableRandom(16);
        Stream<Conv2d.Geometry> fixed = Stream.of(
                new Conv2d.Geometry(3, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),
                new Conv2d.Geometry(2, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),
                new Conv2d.Geometry(2, 3, 4, 4, 3, 3, 3, 1, 1, 1, 1),
                new Conv2d.Geometry(1, 2, 6, 9, 7, 3, 2, 1, 1, 1, 0),
                new Conv2d.Geometry(2, 2, 6, 6, 20, 3, 3, 1, 1, 1, 1),
                new Conv2d.Geometry(3, 5, 3, 4, 3, 2, 3, 1, 1, 3, 2),
                new Conv2d.Geometry(2, 7, 5, 31, 1, 1, 3, 1, 1, 0, 1),
                // eight images or more: LaneConv, with a partial last group, overlapping blocks and K blocks
                new Conv2d.Geometry(11, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),
                new Conv2d.Geometry(16, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),
                new Conv2d.Geometry(9, 3, 7, 9, 5, 3, 2, 1, 1, 1, 0),
                new Conv2d.Geometry(8, 2, 5, 5, 4, 2, 2, 1, 1, 0, 0),
                new Conv2d.Geometry(10, 2, 20, 21, 7, 1, 2, 1, 1, 0, 1));
        Stream<Conv2d.Geometry> random = IntStream.range(0, 20).mapToObj(i -> {
            int k = 1 + rnd.nextInt(5), kw = 1 + rnd.nextInt(5), pad = rnd.nextInt(k), padW = rnd.nextInt(kw);
            int h = Math.max(1, k - 2 * pad + rnd.nextInt(12)), w = Math.max(1, kw - 2 * padW + rnd.nextInt(20));
            return new Conv2d.Geometry(1 + rnd.nextInt(3), 1 + rnd.nextInt(3), h, w, 1 + rnd.nextInt(9), k, kw, 1, 1, pad, padW);
        });
        return Stream.concat(fixed, random);
    }

    /** The forward convolution is bitwise im2col followed by Gemm, whichever path computes it. */
    @ParameterizedTest
    @MethodSource("stride1")
    void forwardIsBitwiseIm2colTimesGemm(Conv2d.Geometry g) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        int off = 2, plane = g.oh() * g.ow(), image = g.c() * g.h() * g.w();
        float[] x = random(rnd, off + g.n() * image), wt = random(rnd, off + g.oc() * g.patch());
        float[] y = new float[off + g.n() * g.oc() * plane], expected = new float[y.length];
        float[] work = new float[g.workspaceFloats()];
        Arrays.fill(work, Float.NaN);
        Conv2d.forward(g, x, off, wt, off, y, off, work);
        float[] col = new float[g.patch() * plane];
        for (int img = 0; img < g.n(); img++) {
            Conv2d.im2col(g, x, off + img * image, col, 0, g.patch());
            Gemm.matmul(false, false, g.oc(), plane, g.patch(), wt, off, col, 0, expected, off + img * g.oc() * plane);
        }
        assertArrayEquals(expected, y);
    }

    /**
     * The weight gradient is bitwise, per column range, the per-image im2col · dyᵀ products (Gemm)
     * summed over the images in order.
     */
    @ParameterizedTest
    @MethodSource("stride1")
    void weightGradientIsBitwisePerImageGemmsSummedInOrder(Conv2d.Geometry g) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode() + 1);
        int off = 2, plane = g.oh() * g.ow(), image = g.c() * g.h() * g.w(), patch = g.patch();
        float[] x = random(rnd, off + g.n() * image), dy = random(rnd, off + g.n() * g.oc() * plane);
        float[] expected = new float[off + g.oc() * patch], col = new float[patch * plane], one = new float[g.oc() * patch];
        for (int img = 0; img < g.n(); img++) {
            Conv2d.im2col(g, x, off + img * image, col, 0, patch);
            Gemm.matmul(false, true, g.oc(), patch, plane, dy, off + img * g.oc() * plane, col, 0, one, 0);
            for (int i = 0; i < one.length; i++) expected[off + i] = img == 0 ? one[i] : expected[off + i] + one[i];
        }
        float[] work = new float[g.workspaceFloats()];
        Arrays.fill(work, Float.NaN);
        float[] dw = new float[expected.length];
        Conv2d.backwardWeight(g, x, off, dy, off, dw, off, work);
        assertArrayEquals(expected, dw);
        float[] parts = new float[expected.length];
        int cut = patch / 3 + 1;
        Conv2d.backwardWeightColumns(g, x, off, dy, off, parts, off, work, 0, Math.min(cut, patch));
        if (cut < patch) Conv2d.backwardWeightColumns(g, x, off, dy, off, parts, off, work, cut, patch);
        assertArrayEquals(expected, parts);
    }

    /**
     * The input gradient is bitwise, per image, the product Wᵀ · dy (Gemm) followed by col2im, with
     * dy values that make exact zeros, cancellations and signed zeros common; also per image range.
     */
    @ParameterizedTest
    @MethodSource("stride1")
    void inputGradientIsBitwiseGemmThenCol2im(Conv2d.Geometry g) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode() + 2);
        int off = 3, plane = g.oh() * g.ow(), image = g.c() * g.h() * g.w(), patch = g.patch();
        float[] wt = random(rnd, off + g.oc() * patch), dy = random(rnd, off + g.n() * g.oc() * plane);
        float[] few = {1f, -1f, 0f, -0f, 0.5f};
        for (int i = off; i < dy.length; i++) if (rnd.nextInt(3) == 0) dy[i] = few[rnd.nextInt(few.length)];
        for (int i = off; i < wt.length; i++) if (rnd.nextInt(4) == 0) wt[i] = few[rnd.nextInt(few.length)];
        float[] expected = new float[off + g.n() * image], col = new float[patch * plane];
        for (int img = 0; img < g.n(); img++) {
            Gemm.matmul(true, false, patch, plane, g.oc(), wt, off, dy, off + img * g.oc() * plane, col, 0);
            Conv2d.col2imAdd(g, col, expected, off + img * image);
        }
        float[] work = new float[g.workspaceFloats()];
        Arrays.fill(work, Float.NaN);
        float[] dx = new float[expected.length];
        Arrays.fill(dx, Float.NaN);
        Conv2d.backwardInput(g, dy, off, wt, off, dx, off, work);
        Arrays.fill(dx, 0, off, 0f);
        assertBitwise(expected, dx);
        float[] parts = new float[expected.length];
        int cut = g.n() / 2;
        Conv2d.backwardInputImages(g, dy, off, wt, off, parts, off, work, 0, cut);
        Conv2d.backwardInputImages(g, dy, off, wt, off, parts, off, work, cut, g.n());
        assertBitwise(expected, parts);
    }

    private static void assertBitwise(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++)
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
    }

    static Stream<Pool2d.Geometry> pools() {
        SplittableRandom rnd = new SplittableRandom(15);
        Stream<Pool2d.Geometry> fixed = Stream.of(
                new Pool2d.Geometry(3, 28, 28, 2, 2, 2, 2, 0, 0),
                new Pool2d.Geometry(2, 9, 7, 2, 2, 2, 2, 0, 0),
                new Pool2d.Geometry(2, 9, 17, 2, 2, 2, 2, 0, 0),
                new Pool2d.Geometry(1, 6, 21, 2, 2, 2, 2, 0, 0),
                new Pool2d.Geometry(2, 10, 10, 2, 2, 2, 2, 0, 0),
                new Pool2d.Geometry(2, 7, 8, 3, 3, 2, 2, 1, 1),
                new Pool2d.Geometry(1, 5, 6, 3, 2, 1, 2, 1, 0));
        Stream<Pool2d.Geometry> random = IntStream.range(0, 30).mapToObj(i -> {
            int kh = 1 + rnd.nextInt(4), kw = 1 + rnd.nextInt(4), ph = rnd.nextInt(kh / 2 + 1), pw = rnd.nextInt(kw / 2 + 1);
            return new Pool2d.Geometry(1 + rnd.nextInt(3), Math.max(1, kh - 2 * ph + rnd.nextInt(9)), Math.max(1, kw - 2 * pw + rnd.nextInt(9)),
                    kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), ph, pw);
        });
        return Stream.concat(fixed, random);
    }

    @ParameterizedTest
    @MethodSource("pools")
    void maxPoolingMatchesItsDefinitionWithTiesZerosAndNaNs(Pool2d.Geometry g) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        float[] values = {1f, 2f, 2f, -0f, 0f, Float.NaN, Float.intBitsToFloat(0x7fc00123), -3f, Float.NEGATIVE_INFINITY};
        int off = 5, in = g.planes() * g.h() * g.w(), out = g.planes() * g.oh() * g.ow();
        float[] x = new float[off + in];
        for (int i = 0; i < x.length; i++) x[i] = values[rnd.nextInt(rnd.nextInt(4) == 0 ? values.length : 5)];
        float[] dy = random(rnd, off + out);
        float[] y = new float[off + out], dx = new float[off + in];
        Arrays.fill(dx, 7f);
        Pool2d.maxForward(g, x, off, y, off);
        Pool2d.maxBackward(g, x, off, dy, off, dx, off);
        float[] ey = new float[off + out], edx = new float[off + in];
        Arrays.fill(edx, 7f);
        Arrays.fill(edx, off, off + in, 0f);
        int plane = g.h() * g.w();
        for (int p = 0; p < g.planes(); p++)
            for (int oy = 0; oy < g.oh(); oy++)
                for (int ox = 0; ox < g.ow(); ox++) {
                    int at = off + p * plane + argmaxByDefinition(g, x, off + p * plane, oy, ox), o = off + (p * g.oh() + oy) * g.ow() + ox;
                    ey[o] = x[at];
                    edx[at] += dy[o];
                }
        for (int i = 0; i < ey.length; i++)
            assertEquals(Float.floatToRawIntBits(ey[i]), Float.floatToRawIntBits(y[i]), "y[" + i + "]");
        assertArrayEquals(edx, dx);
    }

    /** The first position holding the window's maximum, a NaN beating every number. */
    private static int argmaxByDefinition(Pool2d.Geometry g, float[] x, int planeOff, int oy, int ox) {
        int best = -1;
        for (int ky = 0; ky < g.kh(); ky++)
            for (int kx = 0; kx < g.kw(); kx++) {
                int iy = oy * g.strideH() - g.padH() + ky, ix = ox * g.strideW() - g.padW() + kx;
                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                int at = iy * g.w() + ix;
                if (best < 0) best = at;
                float v = x[planeOff + at], max = x[planeOff + best];
                if (!Float.isNaN(max) && (Float.isNaN(v) || v > max)) best = at;
            }
        return best;
    }

    private static float[] im2colByDefinition(Conv2d.Geometry g, float[] x, int off, int r0, int r1) {
        int plane = g.oh() * g.ow();
        float[] col = new float[(r1 - r0) * plane];
        for (int r = r0; r < r1; r++) {
            int ci = r / (g.kh() * g.kw()), ky = r / g.kw() % g.kh(), kx = r % g.kw();
            for (int oy = 0; oy < g.oh(); oy++)
                for (int ox = 0; ox < g.ow(); ox++) {
                    int iy = oy * g.strideH() - g.padH() + ky, ix = ox * g.strideW() - g.padW() + kx;
                    boolean inside = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
                    col[(r - r0) * plane + oy * g.ow() + ox] = inside ? x[off + (ci * g.h() + iy) * g.w() + ix] : 0f;
                }
        }
        return col;
    }

    private static void col2imByDefinition(Conv2d.Geometry g, float[] col, float[] dx, int off) {
        int plane = g.oh() * g.ow();
        for (int r = 0; r < g.patch(); r++) {
            int ci = r / (g.kh() * g.kw()), ky = r / g.kw() % g.kh(), kx = r % g.kw();
            for (int oy = 0; oy < g.oh(); oy++)
                for (int ox = 0; ox < g.ow(); ox++) {
                    int iy = oy * g.strideH() - g.padH() + ky, ix = ox * g.strideW() - g.padW() + kx;
                    if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w())
                        dx[off + (ci * g.h() + iy) * g.w() + ix] += col[r * plane + oy * g.ow() + ox];
                }
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        return a;
    }
}

package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct convolution kernels ({@link DirectConv}, {@link DirectConvInput}, {@link LaneConv},
 * {@link LaneConvForward}, {@link LaneConvInput}) give bitwise the results of the im2col path they
 * replace: im2col, {@link Gemm} and col2im, written out here per image. Their register blocks (2, 4 or
 * 6 channels, overlapping last blocks, partial blocks) must not change a single chain, so the
 * geometries cover channel and pixel counts that take every block and remainder; the lane kernels run
 * on every geometry, whether {@link Conv2d} picks them or not, and on ranges that cut a group of eight.
 */
class DirectConvBitsTest {

    static Stream<Conv2d.Geometry> geometries() {
        return Stream.of(
                new Conv2d.Geometry(9, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),   // LeNet's first layer
                new Conv2d.Geometry(8, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),  // its second
                new Conv2d.Geometry(3, 7, 9, 11, 5, 3, 3, 1, 1, 1, 1),    // 6 + 1 input channels
                new Conv2d.Geometry(2, 8, 8, 8, 7, 3, 3, 1, 1, 0, 0),     // 4 + 4 input channels
                new Conv2d.Geometry(10, 12, 7, 7, 6, 3, 3, 1, 1, 1, 1),   // 6 + 6 input channels, 6 output channels
                new Conv2d.Geometry(9, 3, 12, 10, 11, 5, 3, 1, 1, 2, 1),  // 3 input channels, 11 output channels
                new Conv2d.Geometry(16, 2, 10, 10, 9, 3, 3, 1, 1, 0, 0),  // 9 output channels, two lane groups
                new Conv2d.Geometry(17, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0), // LeNet's second, two lane groups and one image
                new Conv2d.Geometry(8, 2, 3, 17, 5, 3, 17, 1, 1, 0, 0),   // an output of 1×1 (wide 17): too few positions for a lane forward block
                new Conv2d.Geometry(8, 2, 3, 18, 5, 3, 17, 1, 1, 0, 0),   // an output of 1×2: one lane forward block
                new Conv2d.Geometry(8, 2, 5, 4, 5, 3, 3, 1, 1, 0, 1));    // an output of 3×4, 5 output channels
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void directKernelsGiveTheIm2colBits(Conv2d.Geometry g) {
        assumeTrue(VectorSupport.AVAILABLE, "the direct kernels need jdk.incubator.vector");
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        float[] x = GemmThreadsTest.random(rnd, g.n() * g.c() * g.h() * g.w());
        float[] wt = GemmThreadsTest.random(rnd, g.oc() * g.patch());
        float[] dy = GemmThreadsTest.random(rnd, g.n() * g.oc() * g.oh() * g.ow());
        float[] work = new float[g.workspaceFloats()];
        int plane = g.oh() * g.ow(), inImage = g.c() * g.h() * g.w(), outImage = g.oc() * plane, patch = g.patch();
        float[] col = new float[patch * plane], prod = new float[Math.max(g.oc() * patch, patch * plane)];
        float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length];
        float[] yRef = new float[dy.length], dxRef = new float[x.length], dwRef = new float[wt.length];
        for (int img = 0; img < g.n(); img++) {
            Conv2d.im2col(g, x, img * inImage, col, 0, patch);
            Gemm.matmul(false, false, g.oc(), plane, patch, wt, 0, col, 0, yRef, img * outImage);
            Gemm.matmul(false, true, g.oc(), patch, plane, dy, img * outImage, col, 0, prod, 0);
            for (int i = 0; i < dwRef.length; i++) dwRef[i] = img == 0 ? prod[i] : dwRef[i] + prod[i];
            Gemm.matmul(true, false, patch, plane, g.oc(), wt, 0, dy, img * outImage, prod, 0);
            Conv2d.col2imAdd(g, prod, dxRef, img * inImage);
        }
        if (Conv2d.direct(g, patch)) {
            Conv2d.forwardImages(g, x, 0, wt, 0, y, 0, work, 0, g.n());
            assertArrayEquals(yRef, y, "forward");
            Arrays.fill(y, Float.NaN);
            DirectConv.forwardImages(g, x, 0, wt, 0, y, 0, work, 0, g.n());
            assertArrayEquals(yRef, y, "forward, wide");
            if (DirectConvShape.lanesApply(g) && plane >= LaneConvForward.POSITIONS) {
                // Every geometry through the lane kernel, whether or not Conv2d picks it: whole groups, then a range
                // starting at image 1 (a group cut short, its rest by DirectConv), on a workspace the wide kernel dirtied.
                Arrays.fill(y, Float.NaN);
                LaneConvForward.forwardImages(g, x, 0, wt, 0, y, 0, work, 0, g.n());
                assertArrayEquals(yRef, y, "forward, lanes");
                Arrays.fill(y, Float.NaN);
                LaneConvForward.forwardImages(g, x, 0, wt, 0, y, 0, work, 1, g.n());
                assertArrayEquals(Arrays.copyOfRange(yRef, outImage, yRef.length), Arrays.copyOfRange(y, outImage, y.length), "forward, lanes from image 1");
            }
        }
        if (Conv2d.directInputGradient(g)) {
            Arrays.fill(dx, Float.NaN);
            Conv2d.backwardInputImages(g, dy, 0, wt, 0, dx, 0, work, 0, g.n());
            assertArrayEquals(dxRef, dx, "input gradient");
            Arrays.fill(dx, Float.NaN);
            DirectConvInput.backwardInputImages(g, dy, 0, wt, 0, dx, 0, work, 0, g.n());
            assertArrayEquals(dxRef, dx, "input gradient, wide");
            if (DirectConvShape.lanesApply(g)) {
                Arrays.fill(dx, Float.NaN);
                LaneConvInput.backwardInputImages(g, dy, 0, wt, 0, dx, 0, work, 0, g.n());
                assertArrayEquals(dxRef, dx, "input gradient, lanes");
                Arrays.fill(dx, Float.NaN);
                LaneConvInput.backwardInputImages(g, dy, 0, wt, 0, dx, 0, work, 1, g.n());
                assertArrayEquals(Arrays.copyOfRange(dxRef, inImage, dxRef.length), Arrays.copyOfRange(dx, inImage, dx.length), "input gradient, lanes from image 1");
            }
        }
        if (Conv2d.directWeightGradient(g)) {
            Conv2d.backwardWeightColumns(g, x, 0, dy, 0, dw, 0, work, 0, patch);
            assertArrayEquals(dwRef, dw, "weight gradient");
        }
    }
}

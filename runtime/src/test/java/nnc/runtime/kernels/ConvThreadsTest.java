package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution (forward and both gradients) and pooling give bitwise the same results on 1, 2 and 3
 * threads, for geometries large enough to be split, including odd batch and weight-column counts.
 */
class ConvThreadsTest {
    private final int saved = Parallelism.threads();

    @AfterEach
    void restore() { Parallelism.setThreads(saved); }

    static Stream<Conv2d.Geometry> geometries() {
        return Stream.of(
                new Conv2d.Geometry(5, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),   // LeNet's first layer, odd batch
                new Conv2d.Geometry(4, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),  // its second
                new Conv2d.Geometry(13, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),  // eight images or more (LaneConv), groups cut by the split
                new Conv2d.Geometry(3, 7, 17, 13, 9, 3, 3, 2, 1, 1, 1),   // odd everything, strided
                new Conv2d.Geometry(2, 3, 40, 40, 4, 3, 3, 1, 1, 1, 1),   // fewer images than 3 threads
                new Conv2d.Geometry(3, 8, 20, 20, 8, 3, 3, 1, 1, 2, 2, 2, 2, 4));  // dilated, grouped
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void convolutionDoesNotDependOnTheThreadCount(Conv2d.Geometry g) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        float[] x = GemmThreadsTest.random(rnd, g.n() * g.c() * g.h() * g.w());
        float[] wt = GemmThreadsTest.random(rnd, g.oc() * g.patch());
        float[] dy = GemmThreadsTest.random(rnd, g.n() * g.oc() * g.oh() * g.ow());
        float[][] reference = null;
        for (int threads = 1; threads <= 3; threads++) {
            Parallelism.setThreads(threads);
            if (threads == 3) {
                assertTrue(SpatialSplit.convParts(g, g.n()) > 1, "forward is split");
                assertTrue(SpatialSplit.convParts(g, g.patch()) > 1, "weight gradient is split");
            }
            float[] work = new float[g.workspaceFloats()];
            float[] y = filled(dy.length), dx = filled(x.length), dw = filled(wt.length);
            Conv2d.forward(g, x, 0, wt, 0, y, 0, work);
            Conv2d.backwardInput(g, dy, 0, wt, 0, dx, 0, work);
            Conv2d.backwardWeight(g, x, 0, dy, 0, dw, 0, work);
            float[][] got = {y, dx, dw};
            if (reference == null) reference = got;
            else for (int i = 0; i < got.length; i++) assertBitwise(reference[i], got[i], threads + " threads, " + new String[] {"y", "dx", "dw"}[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void poolingDoesNotDependOnTheThreadCount(Conv2d.Geometry c) {
        Pool2d.Geometry g = new Pool2d.Geometry(4 * c.n() * c.c(), c.h(), c.w(), 3, 3, 2, 2, 1, 1);
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        float[] x = GemmThreadsTest.random(rnd, g.planes() * g.h() * g.w());
        float[] dy = GemmThreadsTest.random(rnd, g.planes() * g.oh() * g.ow());
        float[][] reference = null;
        for (int threads = 1; threads <= 3; threads++) {
            Parallelism.setThreads(threads);
            if (threads == 3) assertTrue(SpatialSplit.poolParts(g) > 1, "pooling is split");
            float[] ym = filled(dy.length), dxm = filled(x.length), ya = filled(dy.length), dxa = filled(x.length);
            Pool2d.maxForward(g, x, 0, ym, 0);
            Pool2d.maxBackward(g, x, 0, dy, 0, dxm, 0);
            Pool2d.avgForward(g, x, 0, ya, 0);
            Pool2d.avgBackward(g, dy, 0, dxa, 0);
            float[][] got = {ym, dxm, ya, dxa};
            if (reference == null) reference = got;
            else for (int i = 0; i < got.length; i++) assertBitwise(reference[i], got[i], threads + " threads, output " + i);
        }
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i]))
                assertEquals(expected[i], actual[i], what + ", element " + i);
    }

    /** NaN-filled, so an element a part forgot to write shows. */
    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }
}

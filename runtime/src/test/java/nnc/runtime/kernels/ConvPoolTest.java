package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution and pooling against three independent truths: PyTorch's outputs and gradients
 * (fixture written by benchmarks/pytorch/make_conv_fixtures.py), a direct double-precision loop,
 * and the adjoint identities ⟨conv(x, w), dy⟩ = ⟨x, dx⟩ = ⟨w, dw⟩ that hold because the
 * convolution is bilinear.
 */
class ConvPoolTest {
    private static final TensorFile FIXTURE = load();

    private static TensorFile load() {
        try {
            return SafeTensors.read(Path.of(ConvPoolTest.class.getResource("/fixtures/conv_pool.safetensors").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() { return FIXTURE.metadata().keySet().stream().filter(k -> !k.startsWith("_")).sorted(); }

    private static float[] t(String name) { return FIXTURE.find(name).orElseThrow(() -> new AssertionError("fixture lacks " + name)).f32(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name) {
        String[] f = FIXTURE.metadata().get(name).split(" ");
        int[] v = new int[f.length - 1];
        for (int i = 1; i < f.length; i++) v[i - 1] = Integer.parseInt(f[i]);
        int n = v[0], c = v[1], h = v[2], w = v[3], oc = v[4], kh = v[5], kw = v[6], stride = v[7], pad = v[8];
        float[] x = t(name + ".x"), dy = t(name + ".dy");
        float[] y = new float[dy.length], dx = new float[x.length];
        switch (f[0]) {
            case "conv" -> {
                Conv2d.Geometry g = new Conv2d.Geometry(n, c, h, w, oc, kh, kw, stride, stride, pad, pad);
                float[] wt = t(name + ".w"), dw = new float[wt.length], work = new float[g.workspaceFloats()];
                Conv2d.forward(g, x, 0, wt, 0, y, 0, work);
                Conv2d.backwardInput(g, dy, 0, wt, 0, dx, 0, work);
                Conv2d.backwardWeight(g, x, 0, dy, 0, dw, 0, work);
                assertClose(t(name + ".dw"), dw, name + " dw");
            }
            case "max" -> {
                Pool2d.Geometry g = new Pool2d.Geometry(n * c, h, w, kh, kw, stride, stride, pad, pad);
                Pool2d.maxForward(g, x, 0, y, 0);
                Pool2d.maxBackward(g, x, 0, dy, 0, dx, 0);
            }
            case "avg" -> {
                Pool2d.Geometry g = new Pool2d.Geometry(n * c, h, w, kh, kw, stride, stride, pad, pad);
                Pool2d.avgForward(g, x, 0, y, 0);
                Pool2d.avgBackward(g, dy, 0, dx, 0);
            }
            default -> throw new AssertionError("unknown case kind " + f[0]);
        }
        assertClose(t(name + ".y"), y, name + " y");
        assertClose(t(name + ".dx"), dx, name + " dx");
    }

    static Stream<Conv2d.Geometry> geometries() {
        return Stream.of(
                new Conv2d.Geometry(1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0),
                new Conv2d.Geometry(2, 3, 10, 9, 5, 3, 2, 2, 1, 1, 0),
                new Conv2d.Geometry(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),
                new Conv2d.Geometry(2, 4, 7, 11, 3, 3, 3, 3, 2, 2, 1),
                new Conv2d.Geometry(1, 2, 4, 4, 2, 4, 4, 1, 1, 0, 0),
                new Conv2d.Geometry(2, 3, 9, 8, 4, 3, 2, 1, 2, 2, 1, 2, 3, 1),    // dilation
                new Conv2d.Geometry(2, 4, 7, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2),    // two groups
                new Conv2d.Geometry(3, 5, 8, 8, 10, 3, 3, 2, 1, 1, 1, 1, 1, 5),   // depthwise, two outputs per channel
                new Conv2d.Geometry(1, 6, 10, 9, 6, 3, 3, 1, 1, 2, 2, 2, 2, 6));  // depthwise, dilated
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesDirectLoopAndGradientsAreItsAdjoints(Conv2d.Geometry g) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        float[] x = random(rnd, g.n() * g.c() * g.h() * g.w());
        float[] wt = random(rnd, g.oc() * g.patch());
        float[] dy = random(rnd, g.n() * g.oc() * g.oh() * g.ow());
        float[] work = new float[g.workspaceFloats()];
        float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length];
        Conv2d.forward(g, x, 0, wt, 0, y, 0, work);
        assertClose(toFloat(direct(g, x, wt)), y, "forward");
        Conv2d.backwardInput(g, dy, 0, wt, 0, dx, 0, work);
        Conv2d.backwardWeight(g, x, 0, dy, 0, dw, 0, work);
        double yDy = dot(direct(g, x, wt), dy);
        assertEquals(yDy, dot(x, dx), 1e-4 * Math.max(1, Math.abs(yDy)), "<conv(x,w), dy> = <x, dx>");
        assertEquals(yDy, dot(wt, dw), 1e-4 * Math.max(1, Math.abs(yDy)), "<conv(x,w), dy> = <w, dw>");
    }

    @Test
    void kernelsHonourOffsetsAndAreDeterministic() {
        Conv2d.Geometry g = new Conv2d.Geometry(2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1);
        SplittableRandom rnd = new SplittableRandom(9);
        int off = 13;
        float[] x = random(rnd, off + g.n() * g.c() * g.h() * g.w()), wt = random(rnd, off + g.oc() * g.patch());
        float[] y1 = new float[off + g.n() * g.oc() * g.oh() * g.ow()], y2 = y1.clone();
        Conv2d.forward(g, x, off, wt, off, y1, off, new float[g.workspaceFloats()]);
        Conv2d.forward(g, x, off, wt, off, y2, off, new float[g.workspaceFloats()]);
        assertArrayEquals(y1, y2);
        for (int i = 0; i < off; i++) assertEquals(0f, y1[i], "wrote before the offset");
        float[] xs = Arrays.copyOfRange(x, off, x.length), ws = Arrays.copyOfRange(wt, off, wt.length);
        float[] y0 = new float[g.n() * g.oc() * g.oh() * g.ow()];
        Conv2d.forward(g, xs, 0, ws, 0, y0, 0, new float[g.workspaceFloats()]);
        assertArrayEquals(y0, Arrays.copyOfRange(y1, off, y1.length));
    }

    @Test
    void maxPoolSendsEachGradientToTheFirstMaximumOfItsWindow() {
        Pool2d.Geometry g = new Pool2d.Geometry(1, 2, 4, 2, 2, 2, 2, 0, 0);
        float[] x = {1, 3, 3, 0, /* row 2 */ 2, 3, 0, 3};
        float[] y = new float[2], dx = new float[8];
        Pool2d.maxForward(g, x, 0, y, 0);
        assertArrayEquals(new float[] {3, 3}, y);
        Pool2d.maxBackward(g, x, 0, new float[] {10, 20}, 0, dx, 0);
        assertArrayEquals(new float[] {0, 10, 20, 0, 0, 0, 0, 0}, dx);
    }

    @Test
    void badGeometriesAreRefusedWithTheirSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d.Geometry(1, 1, 3, 3, 1, 5, 5, 1, 1, 0, 0));
        assertTrue(e.getMessage().contains("5×5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Pool2d.Geometry(1, 4, 4, 2, 2, 2, 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d.Geometry(1, 1, 3, 3, 1, 1, 1, 0, 1, 0, 0));
    }

    /** The textbook definition (with dilation and channel groups), in double precision. */
    static double[] direct(Conv2d.Geometry g, float[] x, float[] wt) {
        int oh = g.oh(), ow = g.ow();
        double[] y = new double[g.n() * g.oc() * oh * ow];
        for (int b = 0; b < g.n(); b++)
            for (int o = 0; o < g.oc(); o++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double s = 0;
                        int cg = g.c() / g.groups(), first = o / (g.oc() / g.groups()) * cg;
                        for (int cj = 0; cj < cg; cj++)
                            for (int ky = 0; ky < g.kh(); ky++)
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    int iy = oy * g.strideH() - g.padH() + ky * g.dilH(), ix = ox * g.strideW() - g.padW() + kx * g.dilW();
                                    if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                                    s += (double) x[((b * g.c() + first + cj) * g.h() + iy) * g.w() + ix]
                                            * wt[((o * cg + cj) * g.kh() + ky) * g.kw() + kx];
                                }
                        y[((b * g.oc() + o) * oh + oy) * ow + ox] = s;
                    }
        return y;
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        return a;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static double dot(float[] a, float[] b) { return dot(toDouble(a), b); }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
    }
}

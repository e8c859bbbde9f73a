package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scalar twins that run without {@code jdk.incubator.vector} give the vector kernels' bits: the
 * GEMM micro-kernels and transposes one against the other in this JVM, and whole products,
 * convolutions and poolings on many shapes in child JVMs without the module and with
 * {@code -Dnnc.vectors=off}, against this JVM's vector results.
 */
class ScalarTwinsTest {
    /** Values in (-1, 1), about one in 50 a signed zero or the smallest subnormal. */
    static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
            if (r.nextInt(50) == 0) x[i] = r.nextBoolean() ? -0f : Float.MIN_VALUE; // signed zeros and subnormals too
        }
        return x;
    }

    @ParameterizedTest(name = "kc={0}")
    @ValueSource(ints = {1, 2, 7, 8, 9, 64, 196, 210, 256})
    void microKernelsMatchTheirTwins(int kc) {
        SplittableRandom r = new SplittableRandom(kc);
        int ldc = 37;
        float[] pa = random(r, 6 * kc + 5), pb = random(r, 16 * kc + 3), a = random(r, 40 * kc + 50), acc = new float[96];
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] c = random(r, 6 * ldc + 16);
            float[] v = c.clone(), s = c.clone();
            PackedGemmVectors.kernel(kc, pa, 5, pb, 3, v, 2, ldc, accumulate);
            PackedGemmScalar.kernel(kc, 6, pa, 5, 1, 6, pb, 3, s, 2, ldc, accumulate, acc);
            assertArrayEquals(v, s, "6×16");
            v = c.clone();
            s = c.clone();
            PackedGemmVectors.kernel4(kc, pa, 5, pb, 3, v, 2, ldc, accumulate);
            PackedGemmScalar.kernel(kc, 4, pa, 5, 1, 6, pb, 3, s, 2, ldc, accumulate, acc);
            assertArrayEquals(v, s, "4×16");
            v = c.clone();
            s = c.clone();
            PackedGemmVectors.kernelUnpackedA(kc, a, 7, kc + 1, 1, pb, 3, v, 2, ldc, accumulate);
            PackedGemmScalar.kernel(kc, 6, a, 7, kc + 1, 1, pb, 3, s, 2, ldc, accumulate, acc);
            assertArrayEquals(v, s, "6×16, A in place");
            v = c.clone();
            s = c.clone();
            PackedGemmVectors.kernelUnpackedA(kc, a, 7, 1, 6, pb, 3, v, 2, ldc, accumulate);
            PackedGemmScalar.kernel(kc, 6, a, 7, 1, 6, pb, 3, s, 2, ldc, accumulate, acc);
            assertArrayEquals(v, s, "6×16, Aᵀ in place");
        }
    }

    @Test
    void transposesMatch() {
        SplittableRandom r = new SplittableRandom(3);
        float[] b = random(r, 8 * 21 + 8);
        float[] v = new float[8 * 16 + 4], s = new float[8 * 16 + 4];
        PackedGemmVectors.transpose8(b, 3, 21, v, 4);
        PackedGemmScalar.transpose8(b, 3, 21, s, 4);
        assertArrayEquals(v, s);
        for (int q = 0; q < 8; q++)
            for (int row = 0; row < 8; row++) assertEquals(b[3 + row * 21 + q], v[4 + q * 16 + row]);
    }

    @Test
    void productsConvolutionsAndPoolingsMatchWithoutTheModule() throws Exception {
        assertTrue(VectorSupport.AVAILABLE, "the tests run with jdk.incubator.vector");
        List<String> here = TwinDigest.lines();
        assertSame(here, child(false, "-Dnnc.vectors=off"), "-Dnnc.vectors=off");
        List<String> without = child(true);
        assertTrue(without.getFirst().startsWith("nnc: the Vector API is not enabled"), without.getFirst());
        assertSame(here, without.subList(1, without.size()), "without jdk.incubator.vector");
    }

    /** Equal lists, or a failure naming the cases that differ. */
    private static void assertSame(List<String> vector, List<String> scalar, String how) {
        assertEquals(vector.size(), scalar.size(), how + ": " + scalar);
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < vector.size(); i++)
            if (!vector.get(i).equals(scalar.get(i))) differ.add(vector.get(i) + " | scalar: " + scalar.get(i));
        assertEquals(List.of(), differ, how);
    }

    /** {@link TwinDigest}'s lines from a child JVM, with or without the incubator module. */
    private static List<String> child(boolean withoutModule, String... properties) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!withoutModule) cmd.addAll(List.of("--add-modules", VectorSupport.MODULE));
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TwinDigest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }

    /** Checksums of the raw bits of many GEMM, convolution and pooling results, one line per case. */
    static final class TwinDigest {
        private static final int[][] SHAPES = {
            {1, 1, 7}, {64, 1, 784}, {9, 2, 33}, {8, 8, 8}, {7, 13, 5}, {4, 16, 1}, {5, 17, 3}, {3, 9, 700}, {33, 7, 65}, {64, 10, 512},
            {65, 129, 300}, {96, 512, 256}, {97, 513, 257}, {1, 600, 40}, {130, 31, 129}, {64, 784, 20}, {300, 6, 300}, {12, 32, 300},
            {18, 16, 600}, {6, 20, 257}, {32, 32, 16}, {200, 16, 300}, {20, 128, 300}, {512, 40, 33}, {128, 64, 840}, {100, 200, 1100},
            {37, 12, 257}, {10, 5, 600}, {45, 8, 130}, {32, 128, 10}, // narrow C (NarrowGemm); an output layer's dY·Wᵀ
        };
        private static final Conv2d.Geometry[] CONVS = {
            new Conv2d.Geometry(2, 3, 10, 9, 5, 3, 2, 2, 1, 1, 0),
            new Conv2d.Geometry(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),
            new Conv2d.Geometry(2, 4, 7, 11, 3, 3, 3, 3, 2, 2, 1),
            new Conv2d.Geometry(2, 1, 12, 12, 6, 5, 5, 1, 1, 0, 0),
            new Conv2d.Geometry(2, 8, 9, 9, 4, 3, 3, 1, 1, 1, 1),
            new Conv2d.Geometry(1, 2, 20, 20, 4, 3, 3, 1, 1, 1, 1), // 400 pixels: a weight gradient of two K blocks
            new Conv2d.Geometry(1, 32, 6, 6, 4, 3, 3, 1, 1, 1, 1), // a patch of 288: a forward of two K blocks
        };
        private static final Pool2d.Geometry[] POOLS = {
            new Pool2d.Geometry(6, 24, 24, 2, 2, 2, 2, 0, 0), new Pool2d.Geometry(3, 7, 9, 2, 2, 2, 2, 0, 0),
            new Pool2d.Geometry(4, 10, 10, 3, 3, 2, 2, 1, 1),
        };

        public static void main(String[] args) {
            lines().forEach(System.out::println);
        }

        static List<String> lines() {
            List<String> out = new ArrayList<>();
            for (int[] sh : SHAPES)
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = sh[0], n = sh[1], k = sh[2];
                    SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k + t);
                    float[] c = new float[m * n];
                    Gemm.matmul(ta, tb, m, n, k, random(r, m * k), 0, random(r, k * n), 0, c, 0);
                    out.add("gemm " + ta + " " + tb + " " + m + "x" + n + "x" + k + " " + crc(c));
                }
            for (Conv2d.Geometry g : CONVS) {
                SplittableRandom r = new SplittableRandom(g.hashCode());
                float[] x = random(r, g.n() * g.c() * g.h() * g.w()), wt = random(r, g.oc() * g.patch());
                float[] dy = random(r, g.n() * g.oc() * g.oh() * g.ow()), work = new float[g.workspaceFloats()];
                float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length];
                Conv2d.forward(g, x, 0, wt, 0, y, 0, work);
                Conv2d.backwardInput(g, dy, 0, wt, 0, dx, 0, work);
                Conv2d.backwardWeight(g, x, 0, dy, 0, dw, 0, work);
                out.add("conv " + g + " " + crc(y) + " " + crc(dx) + " " + crc(dw));
            }
            for (Pool2d.Geometry g : POOLS) {
                SplittableRandom r = new SplittableRandom(g.hashCode());
                float[] x = random(r, g.planes() * g.h() * g.w());
                float[] y = new float[g.planes() * g.oh() * g.ow()], dx = new float[x.length];
                Pool2d.maxForward(g, x, 0, y, 0);
                Pool2d.maxBackward(g, x, 0, random(r, y.length), 0, dx, 0);
                out.add("maxpool " + g + " " + crc(y) + " " + crc(dx));
            }
            return out;
        }

        private static String crc(float[] v) {
            CRC32 crc = new CRC32();
            for (float f : v) {
                int b = Float.floatToRawIntBits(f);
                crc.update(b);
                crc.update(b >>> 8);
                crc.update(b >>> 16);
                crc.update(b >>> 24);
            }
            return Long.toHexString(crc.getValue());
        }
    }
}

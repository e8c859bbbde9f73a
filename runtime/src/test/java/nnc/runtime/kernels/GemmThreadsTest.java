package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Multi-threaded GEMM gives bitwise the same C for 1, 2, 3 and 4 threads, on odd shapes and every layout. */
class GemmThreadsTest {
    private final int saved = Parallelism.threads();

    @AfterEach
    void restore() { Parallelism.setThreads(saved); }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"97, 513, 257", "64, 784, 128", "130, 1030, 65", "33, 200, 300", "300, 65, 129", "784, 128, 64", "2000, 10, 64", "50, 10, 4000"})
    void resultDoesNotDependOnTheThreadCount(int m, int n, int k) {
        SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = random(r, m * k + 3), b = random(r, k * n + 5);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] reference = multiply(1, ta, tb, m, n, k, a, b);
                assertTrue(Gemm.parts(m, n, k, 4) > 1 || (long) m * n * k < Gemm.PARALLEL_MIN_WORK, "shape is split");
                for (int threads = 2; threads <= 4; threads++) {
                    float[] c = multiply(threads, ta, tb, m, n, k, a, b);
                    for (int i = 0; i < c.length; i++)
                        if (Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(reference[i]))
                            assertEquals(reference[i], c[i], threads + " threads, ta=" + ta + " tb=" + tb + ", element " + i);
                }
                float[] direct = new float[m * n + 2];
                Gemm.direct(ta, tb, m, n, k, a, 3, b, 5, direct, 2);
                for (int i = 0; i < m * n; i++)
                    assertEquals(Float.floatToRawIntBits(direct[i + 2]), Float.floatToRawIntBits(reference[i + 2]), "element " + i + " is the FMA chain");
            }
        }
    }

    @Test
    void splitsIntoWholePanelsAndKeepsSmallProductsOnOneThread() {
        assertEquals(1, Gemm.parts(64, 128, 10, 8), "small work stays on the caller");
        assertEquals(1, Gemm.parts(512, 512, 512, 1));
        assertEquals(2, Gemm.parts(512, 512, 512, 2));
        assertEquals(1, Gemm.parts(20, 40, 1 << 16, 4), "fewer than two column panels per part");
        assertEquals(4, Gemm.parts(4096, 40, 4096, 4), "a narrow product splits its rows");
        assertEquals(2, Gemm.parts(30, 10, 100_000, 4), "at least two 6-row panels per part");
        assertTrue(Gemm.splitsRows(784, 128), "a weight gradient splits its rows");
        assertTrue(!Gemm.splitsRows(32, 128), "a forward product over a batch splits its columns");
        assertEquals(396, Gemm.rowsPerPart(784, 2));
        assertEquals(0, Gemm.rowsPerPart(1030, 3) % PackedGemm.MR);
        assertEquals(256, Gemm.columnsPerPart(512, 2));
        assertEquals(272, Gemm.columnsPerPart(513, 2));
        assertEquals(0, Gemm.columnsPerPart(1030, 3) % PackedGemm.NR);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"32, 10, 128", "784, 128, 32", "100, 40, 300", "13, 200, 7"})
    void anyBlockOfRowsAndColumnsIsThatBlockOfTheWholeProduct(int m, int n, int k) {
        SplittableRandom r = new SplittableRandom(m * 13L + n + k);
        float[] a = random(r, m * k + 3), b = random(r, k * n + 5);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] whole = new float[m * n + 2];
                Gemm.direct(ta, tb, m, n, k, a, 3, b, 5, whole, 2);
                for (int trial = 0; trial < 6; trial++) {
                    int i0 = r.nextInt(m), i1 = i0 + 1 + r.nextInt(m - i0), j0 = r.nextInt(n), j1 = j0 + 1 + r.nextInt(n - j0);
                    float[] c = new float[m * n + 2];
                    Arrays.fill(c, Float.NaN);
                    PackedGemm.multiply(ta, tb, m, n, k, a, 3, b, 5, c, 2, i0, i1, j0, j1);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            int e = 2 + i * n + j;
                            boolean inside = i >= i0 && i < i1 && j >= j0 && j < j1;
                            int want = inside ? Float.floatToRawIntBits(whole[e]) : Float.floatToRawIntBits(Float.NaN);
                            if (Float.floatToRawIntBits(c[e]) != want)
                                assertEquals(inside ? whole[e] : Float.NaN, c[e], "rows " + i0 + ".." + i1 + ", columns " + j0 + ".." + j1
                                        + ", ta=" + ta + " tb=" + tb + ", element " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void failuresInHelperThreadsReachTheCaller() {
        Parallelism.setThreads(3);
        RuntimeException e = Assertions.assertThrows(RuntimeException.class,
                () -> Parallelism.run(3, p -> { if (p == 2) throw new IllegalStateException("part 2 failed"); }));
        assertEquals("part 2 failed", e.getMessage());
    }

    private static float[] multiply(int threads, boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b) {
        Parallelism.setThreads(threads);
        float[] c = new float[m * n + 2];
        Arrays.fill(c, Float.NaN);
        Gemm.matmul(ta, tb, m, n, k, a, 3, b, 5, c, 2);
        return c;
    }

    /** Uniform in [-1, 1). */
    static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}

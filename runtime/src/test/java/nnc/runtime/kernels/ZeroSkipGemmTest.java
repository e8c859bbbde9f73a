package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The zero-skipping product gives bitwise the dense path's C: sparse op(A) (0–90 % zeros, −0 among
 * them, all-zero rows and columns), every layout, shapes with edges, against {@link PackedGemm} and
 * the scalar chains of {@link Gemm#direct}; through {@link Gemm#matmul} on 1 and 2 threads.
 */
class ZeroSkipGemmTest {
    private final int saved = Parallelism.threads();

    @AfterEach
    void restore() { Parallelism.setThreads(saved); }

    /** Random values with about {@code zeros} of them ±0; rows (of storage) and columns listed in {@code blank} all zero. */
    static float[] sparse(SplittableRandom r, int rows, int cols, double zeros, int off) {
        float[] a = new float[off + rows * cols];
        for (int i = 0; i < rows * cols; i++) {
            double u = r.nextDouble();
            a[off + i] = u < zeros ? (r.nextBoolean() ? 0f : -0f) : (float) (r.nextDouble() * 2 - 1);
        }
        if (rows > 2) Arrays.fill(a, off + cols, off + 2 * cols, 0f);         // an all-zero stored row
        if (cols > 3) for (int i = 0; i < rows; i++) a[off + i * cols + 3] = -0f; // an all-zero stored column
        return a;
    }

    static float[] random(SplittableRandom r, int size) {
        float[] b = new float[size];
        for (int i = 0; i < size; i++) b[i] = (float) (r.nextDouble() * 2 - 1);
        return b;
    }

    static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i]))
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + ", element " + i + ": " + expected[i] + " vs " + actual[i]);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"32, 128, 784", "784, 128, 32", "33, 70, 300", "17, 32, 9", "9, 40, 513", "64, 512, 64", "7, 100, 257", "128, 10, 32", "2, 31, 1000"})
    void sameBitsAsTheDensePath(int m, int n, int k) {
        assumeTrue(VectorSupport.AVAILABLE);
        SplittableRandom r = new SplittableRandom(m * 131L + n * 17L + k);
        for (double zeros : new double[] {0, 0.3, 0.5, 0.7, 0.9, 1}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    float[] a = ta ? sparse(r, k, m, zeros, 3) : sparse(r, m, k, zeros, 3);
                    float[] b = random(r, 5 + k * n);
                    float[] dense = new float[2 + m * n], skip = new float[2 + m * n], direct = new float[2 + m * n];
                    Arrays.fill(skip, Float.NaN); // every element must be written
                    skip[0] = skip[1] = dense[0];
                    PackedGemm.multiply(ta, tb, m, n, k, a, 3, b, 5, dense, 2);
                    ZeroSkipGemm.multiply(ta, tb, m, n, k, a, 3, b, 5, skip, 2, 0, m, 0, n);
                    Gemm.direct(ta, tb, m, n, k, a, 3, b, 5, direct, 2);
                    String what = "zeros " + zeros + " ta=" + ta + " tb=" + tb;
                    assertSameBits(dense, skip, what);
                    assertSameBits(direct, skip, what + " (direct chains)");
                }
            }
        }
    }

    @Test
    void partsOfCAreTheWholeProductsElements() {
        assumeTrue(VectorSupport.AVAILABLE);
        int m = 50, n = 100, k = 300;
        SplittableRandom r = new SplittableRandom(5);
        for (boolean ta : new boolean[] {false, true}) {
            float[] a = ta ? sparse(r, k, m, 0.6, 0) : sparse(r, m, k, 0.6, 0);
            float[] b = random(r, k * n);
            float[] whole = new float[m * n], parts = new float[m * n];
            ZeroSkipGemm.multiply(ta, false, m, n, k, a, 0, b, 0, whole, 0, 0, m, 0, n);
            ZeroSkipGemm.multiply(ta, false, m, n, k, a, 0, b, 0, parts, 0, 0, 13, 0, n);
            ZeroSkipGemm.multiply(ta, false, m, n, k, a, 0, b, 0, parts, 0, 13, m, 0, 48);
            ZeroSkipGemm.multiply(ta, false, m, n, k, a, 0, b, 0, parts, 0, 13, m, 48, n);
            assertSameBits(whole, parts, "ta=" + ta);
        }
    }

    @Test
    void takenForSparseOperandsOnlyAndThreadCountDoesNotMatter() {
        assumeTrue(VectorSupport.AVAILABLE);
        SplittableRandom r = new SplittableRandom(11);
        float[] sparseA = sparse(r, 784, 256, 0.7, 0), denseA = sparse(r, 784, 256, 0, 0);
        float[] halfA = sparse(r, 784, 256, 0.4, 0); // 60 % non-zero: above every threshold, where dense is faster
        denseA[0] = denseA[1] = 1f; // no zero in the sampled prefix
        assertFalse(Gemm.skipsZeros(false, 256, 128, 784, halfA, 0), "60 % non-zero, NN");
        assertFalse(Gemm.skipsZeros(true, 784, 128, 256, halfA, 0), "60 % non-zero, TN");
        assertTrue(Gemm.skipsZeros(false, 256, 128, 784, sparseA, 0));
        assertTrue(Gemm.skipsZeros(true, 784, 128, 256, sparseA, 0));
        assertFalse(Gemm.skipsZeros(false, 256, 128, 784, denseA, 0), "dense A");
        assertFalse(Gemm.skipsZeros(false, 256, 16, 784, sparseA, 0), "narrow C");
        float[] b = random(r, 784 * 300);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = ta ? 784 : 256, k = ta ? 256 : 784, n = 300; // over PARALLEL_MIN_WORK: split on 2 threads
                assertTrue(Gemm.parts(m, n, k, 2) == 2, "split");
                float[] one = new float[m * n], two = new float[m * n], dense = new float[m * n];
                Parallelism.setThreads(1);
                Gemm.matmul(ta, tb, m, n, k, sparseA, 0, b, 0, one, 0);
                Parallelism.setThreads(2);
                Gemm.matmul(ta, tb, m, n, k, sparseA, 0, b, 0, two, 0);
                PackedGemm.multiply(ta, tb, m, n, k, sparseA, 0, b, 0, dense, 0);
                assertSameBits(one, two, "1 and 2 threads, ta=" + ta + " tb=" + tb);
                assertSameBits(dense, one, "dense path, ta=" + ta + " tb=" + tb);
            }
        }
    }

    @Test
    void callsAllocateNothingOnceWarm() {
        assumeTrue(VectorSupport.AVAILABLE);
        SplittableRandom r = new SplittableRandom(3);
        int m = 32, n = 128, k = 784;
        float[] x = sparse(r, m, k, 0.8, 0), b = random(r, k * n), c = new float[m * n], w = new float[k * n];
        assertTrue(Gemm.skipsZeros(false, m, n, k, x, 0) && Gemm.skipsZeros(true, k, n, m, x, 0), "both products skip zeros");
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        double best = Double.MAX_VALUE;
        // Vector code allocates until C2 has compiled it: a round with no allocation must come eventually.
        for (int round = 0; round < 40 && best > 0; round++) {
            long before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < 50; i++) {
                Gemm.matmul(false, false, m, n, k, x, 0, b, 0, c, 0); // forward: x · W
                Gemm.matmul(true, false, k, n, m, x, 0, c, 0, w, 0);  // weight gradient: xᵀ · dh
            }
            best = Math.min(best, (mx.getThreadAllocatedBytes(id) - before) / 50.0);
        }
        assertEquals(0.0, best, 0.5, "bytes allocated per pair of calls, best round");
    }

    @Test
    void nonZerosCountsNaNAndNotNegativeZero() {
        assumeTrue(VectorSupport.AVAILABLE);
        float[] a = new float[21];
        a[1] = -0f;
        a[2] = Float.NaN;
        a[9] = 1e-45f;
        a[20] = -3f;
        assertEquals(3, ZeroSkipGemm.nonZeros(a, 0, 21));
        assertEquals(2, ZeroSkipGemm.nonZeros(a, 2, 18));
    }
}

package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A batch of products: each pair as one {@link Gemm} call (bitwise), and against double loops per matrix. */
class BatchedGemmTest {
    @ParameterizedTest(name = "batch {0}, {1}x{2}x{3}, ta={4}, tb={5}")
    @CsvSource({"3, 4, 5, 6, false, false", "3, 4, 5, 6, true, false", "3, 4, 5, 6, false, true", "3, 4, 5, 6, true, true",
                "8, 16, 16, 16, false, true", "2, 33, 40, 17, true, false", "1, 7, 3, 2, false, false", "0, 4, 4, 4, false, false",
                // attention's shapes (the unpacked small path), and its row and column tails
                "5, 32, 32, 16, false, false", "5, 32, 16, 32, false, false", "5, 32, 16, 32, true, false", "3, 7, 29, 5, true, false",
                "2, 9, 8, 256, false, false", "2, 6, 24, 3, true, false", "2, 5, 20, 13, false, false"})
    void eachMatrixIsItsOwnProduct(int batch, int m, int n, int k, boolean ta, boolean tb) {
        SplittableRandom rnd = new SplittableRandom(batch * 1000L + m);
        float[] a = random(batch * m * k, rnd), b = random(batch * k * n, rnd), c = new float[batch * m * n];
        Arrays.fill(c, Float.NaN);
        BatchedGemm.matmul(ta, tb, batch, m, n, k, a, b, c);
        for (int p = 0; p < batch; p++) {
            float[] one = new float[m * n];
            Gemm.matmul(ta, tb, m, n, k, a, p * m * k, b, p * k * n, one, 0);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++)
                        s += (double) a[p * m * k + (ta ? q * m + i : i * k + q)] * b[p * k * n + (tb ? j * k + q : q * n + j)];
                    float got = c[p * m * n + i * n + j];
                    assertEquals(Float.floatToIntBits(one[i * n + j]), Float.floatToIntBits(got), "matrix " + p + " [" + i + "," + j + "] as Gemm");
                    assertEquals(s, got, 1e-5 * k, "matrix " + p + " [" + i + "," + j + "]");
                }
        }
    }

    /** Attention's products with B not transposed (T 32, head 16) take the unpacked path that the shapes above check against Gemm. */
    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"32, 16, 32", "32, 32, 16", "16, 8, 256"})
    void attentionShapesSkipPacking(int m, int n, int k) {
        assertTrue(BatchedGemm.small(false, m, n, k));
    }

    /** Split over 1, 2 or 3 threads (batches large enough to split), the products are bitwise those of one thread. */
    @ParameterizedTest(name = "batch {0}, {1}x{2}x{3}, tb={4}")
    @CsvSource({"7, 64, 64, 64, true", "16, 32, 48, 40, true", "3, 100, 90, 80, true", "16, 32, 48, 40, false", "64, 32, 16, 32, false"})
    void threadCountsGiveTheSameBits(int batch, int m, int n, int k, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(batch);
        float[] a = random(batch * m * k, rnd), b = random(batch * k * n, rnd);
        int before = Parallelism.threads();
        try {
            float[] one = null;
            for (int threads : new int[] {1, 2, 3}) {
                Parallelism.setThreads(threads);
                float[] c = new float[batch * m * n];
                BatchedGemm.matmul(false, transB, batch, m, n, k, a, b, c);
                if (one == null) one = c;
                else for (int i = 0; i < c.length; i++)
                    assertEquals(Float.floatToIntBits(one[i]), Float.floatToIntBits(c[i]), threads + " threads, element " + i);
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    private static float[] random(int n, SplittableRandom rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2 * rnd.nextDouble() - 1);
        return x;
    }
}

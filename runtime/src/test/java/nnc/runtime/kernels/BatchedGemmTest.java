package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                "2, 9, 8, 256, false, false", "2, 6, 24, 3, true, false", "2, 5, 20, 13, false, false",
                // B transposed (Q·Kᵀ): B transposed into scratch for the unpacked path, with 8×8 blocks and
                // column (n % 8) and depth (k % 8) tails; longer k, wider and narrower C through Gemm
                "5, 32, 32, 16, false, true", "2, 9, 40, 64, false, true", "3, 7, 21, 5, false, true", "2, 6, 24, 11, true, true",
                "2, 33, 17, 24, false, true", "2, 64, 64, 64, false, true", "2, 9, 8, 256, false, true", "2, 17, 40, 300, false, true",
                "2, 5, 7, 16, false, true", "1, 20, 160, 16, false, true"})
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

    /** Attention's products (T 32, head 16; Q·Kᵀ with B transposed) take the unpacked path that the shapes above check against Gemm. */
    @ParameterizedTest(name = "{0}x{1}x{2}, tb={3}")
    @CsvSource({"32, 16, 32, false", "32, 32, 16, false", "16, 8, 256, false", "32, 32, 16, true", "64, 64, 64, true", "64, 16, 40, true"})
    void attentionShapesSkipPacking(int m, int n, int k, boolean transB) {
        assertTrue(BatchedGemm.small(transB, m, n, k));
    }

    /** With B transposed, longer or wider products and C of fewer than 16 columns stay with Gemm's packing (measured faster there). */
    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"256, 256, 64", "128, 128, 64", "128, 64, 64", "64, 128, 64", "64, 64, 128", "64, 8, 64", "32, 256, 16"})
    void largerTransposedProductsStayPacked(int m, int n, int k) {
        assertFalse(BatchedGemm.small(true, m, n, k));
    }

    /** Split over 1, 2 or 3 threads (batches large enough to split), the products are bitwise those of one thread. */
    @ParameterizedTest(name = "batch {0}, {1}x{2}x{3}, tb={4}")
    @CsvSource({"7, 64, 64, 64, true", "16, 32, 48, 40, true", "3, 100, 90, 80, true", "16, 32, 48, 40, false", "64, 32, 16, 32, false",
                "192, 32, 32, 16, true", "192, 32, 16, 32, false"})
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

    /**
     * Heads read in place: operands stored as [outer, t, heads, d] (attention's [b, t, h, d] before its
     * head split), C written as [outer, rows, heads, cols]; each product bitwise a Gemm call on the
     * matrices copied out, every element outside the products untouched, for 1, 2 and 3 threads.
     */
    @ParameterizedTest(name = "{0} x {1} heads, {2}x{3}x{4}, ta={5}, tb={6}")
    @CsvSource({"16, 4, 32, 32, 16, false, true", "16, 4, 32, 16, 32, false, false", "16, 4, 32, 16, 32, true, false",
                "3, 2, 7, 9, 5, false, true", "3, 3, 5, 20, 3, true, true", "2, 2, 33, 17, 300, false, false",
                "4, 1, 6, 24, 4, true, false", "2, 4, 9, 3, 8, false, true",
                // Q·Kᵀ on the transposing path: enough products (192 × 32×32×16) to split over 2 and 3
                // threads, tails of n and k, transposed A, and k > 256 through Gemm
                "48, 4, 32, 32, 16, false, true", "3, 2, 13, 21, 11, false, true", "2, 2, 6, 24, 9, true, true",
                "2, 3, 10, 16, 300, false, true"})
    void headsReadAndWrittenInPlace(int outer, int heads, int m, int n, int k, boolean ta, boolean tb) {
        SplittableRandom rnd = new SplittableRandom(outer * 31L + heads * 7L + m + n + k);
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        // each operand interleaved with its heads, rows padded by one spare column to catch a wrong row stride
        int aRow = heads * aCols + 1, bRow = heads * bCols + 1, cRow = heads * n + 1;
        float[] a = random(outer * aRows * aRow, rnd), b = random(outer * bRows * bRow, rnd), c = new float[outer * m * cRow];
        int batch = outer * heads;
        int before = Parallelism.threads();
        try {
            float[] first = null;
            for (int threads : new int[] {1, 2, 3}) {
                Parallelism.setThreads(threads);
                Arrays.fill(c, Float.NaN);
                BatchedGemm.matmul(ta, tb, batch, heads, m, n, k, a, aRows * aRow, aCols, aRow, b, bRows * bRow, bCols, bRow,
                        c, m * cRow, n, cRow);
                if (first == null) first = c.clone();
                else for (int i = 0; i < c.length; i++)
                    assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(c[i]), threads + " threads, element " + i);
            }
        } finally {
            Parallelism.setThreads(before);
        }
        boolean[] written = new boolean[c.length];
        for (int q = 0; q < batch; q++) {
            int o = q / heads, h = q % heads;
            float[] qa = new float[aRows * aCols], qb = new float[bRows * bCols], one = new float[m * n];
            for (int r = 0; r < aRows; r++) for (int s = 0; s < aCols; s++) qa[r * aCols + s] = a[o * aRows * aRow + h * aCols + r * aRow + s];
            for (int r = 0; r < bRows; r++) for (int s = 0; s < bCols; s++) qb[r * bCols + s] = b[o * bRows * bRow + h * bCols + r * bRow + s];
            Gemm.matmul(ta, tb, m, n, k, qa, 0, qb, 0, one, 0);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    int at = o * m * cRow + h * n + i * cRow + j;
                    written[at] = true;
                    assertEquals(Float.floatToIntBits(one[i * n + j]), Float.floatToIntBits(c[at]), "product " + q + " [" + i + "," + j + "]");
                }
        }
        for (int i = 0; i < c.length; i++) if (!written[i]) assertTrue(Float.isNaN(c[i]), "element " + i + " outside every product written");
    }

    private static float[] random(int n, SplittableRandom rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2 * rnd.nextDouble() - 1);
        return x;
    }
}

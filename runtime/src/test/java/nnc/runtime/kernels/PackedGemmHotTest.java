package nnc.runtime.kernels;

import static nnc.runtime.kernels.ScalarTwinsTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The micro-kernels' bits once C2 has compiled them. {@link PackedGemmVectors} shapes its k loop for
 * C2's scheduler and register allocator (the load fences of its class comment), so the code that runs
 * in a trainer is not the code the first calls run: these tests call the kernels tens of thousands of
 * times (far past the JIT's compile thresholds) and compare every result, bit for bit, with an
 * independent scalar FMA chain per element, then check the products of the six models' shapes (every
 * layout the models use, whole and cut into row and column blocks as threads cut them) against the
 * documented sum of one chain per K block.
 */
class PackedGemmHotTest {
    /**
     * The expected C[rows×16] tile: per element one FMA chain from +0f over the kc steps, stored, or
     * added to C ({@code C + chain}); row r, step p of A at {@code a[ai + r·aRow + p·aStep]}.
     */
    private static float[] chains(int kc, int rows, float[] a, int ai, int aRow, int aStep, float[] pb, int bi,
                                  float[] c, int ci, int ldc, boolean accumulate) {
        float[] want = c.clone();
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < 16; j++) {
                float t = 0f;
                for (int p = 0; p < kc; p++) t = Math.fma(a[ai + r * aRow + p * aStep], pb[bi + p * 16 + j], t);
                int at = ci + r * ldc + j;
                want[at] = accumulate ? c[at] + t : t;
            }
        return want;
    }

    private static void assertBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++)
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i]))
                assertEquals(want[i], got[i], what + ": element " + i + " is not the FMA chain's bits");
    }

    @Test
    void hotMicroKernelsKeepTheFmaChains() {
        assumeTrue(VectorSupport.AVAILABLE, "the vector kernels need jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(14);
        int[] kcs = {1, 2, 5, 16, 33};
        int ldc = 21;
        for (int it = 0; it < 30_000; it++) {
            int kc = kcs[it % kcs.length];
            boolean accumulate = (it & 1) != 0;
            float[] pa = random(r, 6 * kc + 3), pb = random(r, 16 * kc + 2), a = random(r, 7 * (kc + 2) + 6 * kc);
            float[] c = random(r, 6 * ldc + 20);
            float[] got = c.clone();
            switch (it % 4) {
                case 0 -> {
                    PackedGemmVectors.kernel(kc, pa, 3, pb, 2, got, 1, ldc, accumulate);
                    assertBits(chains(kc, 6, pa, 3, 1, 6, pb, 2, c, 1, ldc, accumulate), got, "6×16 at kc=" + kc);
                }
                case 1 -> {
                    PackedGemmVectors.kernel4(kc, pa, 3, pb, 2, got, 1, ldc, accumulate);
                    assertBits(chains(kc, 4, pa, 3, 1, 6, pb, 2, c, 1, ldc, accumulate), got, "4×16 at kc=" + kc);
                }
                case 2 -> { // A in place, rows kc + 2 apart
                    PackedGemmVectors.kernelUnpackedA(kc, a, 5, kc + 2, 1, pb, 2, got, 1, ldc, accumulate);
                    assertBits(chains(kc, 6, a, 5, kc + 2, 1, pb, 2, c, 1, ldc, accumulate), got, "6×16, A in place at kc=" + kc);
                }
                default -> { // Aᵀ in place: a row's steps 7 apart
                    PackedGemmVectors.kernelUnpackedA(kc, a, 5, 1, 7, pb, 2, got, 1, ldc, accumulate);
                    assertBits(chains(kc, 6, a, 5, 1, 7, pb, 2, c, 1, ldc, accumulate), got, "6×16, Aᵀ in place at kc=" + kc);
                }
            }
        }
    }

    /** m, n, k, transA, transB: the models' products (mlp512, mlp128, encoder, LSTM) and edge shapes around them. */
    private static final int[][] MODEL_PRODUCTS = {
        {64, 512, 784, 0, 0}, {64, 512, 512, 0, 0}, {512, 512, 64, 1, 0}, {784, 512, 64, 1, 0}, {64, 512, 512, 0, 1}, {64, 784, 512, 0, 1},
        {32, 128, 784, 0, 0}, {784, 128, 32, 1, 0}, {32, 784, 128, 0, 1},
        {512, 64, 256, 0, 0}, {512, 256, 64, 0, 0}, {256, 64, 512, 1, 0}, {64, 64, 512, 1, 0},
        {32, 256, 64, 0, 0}, {32, 64, 256, 0, 1}, {64, 256, 32, 1, 0},
        {61, 500, 300, 0, 0}, {37, 41, 513, 1, 1}, {100, 24, 700, 0, 1}, {203, 130, 260, 1, 0},
        {512, 64, 256, 0, 1}, {203, 130, 260, 0, 1}, {101, 250, 70, 0, 0},
    };

    @Test
    void modelProductsAreTheSumOfOneChainPerKBlock() {
        assumeTrue(VectorSupport.AVAILABLE, "the vector kernels need jdk.incubator.vector");
        for (int[] s : MODEL_PRODUCTS) {
            int m = s[0], n = s[1], k = s[2];
            boolean ta = s[3] != 0, tb = s[4] != 0;
            SplittableRandom r = new SplittableRandom(m * 131L + n * 17L + k);
            float[] a = random(r, m * k), b = random(r, k * n);
            float[] want = new float[m * n];
            int kb = PackedGemm.kBlock(k);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    float sum = 0f, block = 0f;
                    for (int p = 0; p < k; p++) {
                        float x = ta ? a[p * m + i] : a[i * k + p], y = tb ? b[j * k + p] : b[p * n + j];
                        block = Math.fma(x, y, block);
                        if (p == k - 1 || (p + 1) % kb == 0) {
                            sum = p < kb ? block : sum + block;
                            block = 0f;
                        }
                    }
                    want[i * n + j] = sum;
                }
            String shape = m + "×" + n + "×" + k + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "");
            for (int round = 0; round < 3; round++) { // the later rounds run what the JIT made of the first
                float[] whole = new float[m * n];
                PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, whole, 0);
                assertBits(want, whole, shape);
                float[] split = new float[m * n]; // four blocks, as threads split C: rows, then columns
                int im = m / 2 + 1, jm = n / 2 + 3;
                PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, split, 0, 0, im, 0, jm);
                PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, split, 0, 0, im, jm, n);
                PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, split, 0, im, m, 0, jm);
                PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, split, 0, im, m, jm, n);
                assertBits(want, split, shape + " in four blocks");
            }
        }
    }
}

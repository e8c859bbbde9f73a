package nnc.runtime.kernels;

import static nnc.runtime.kernels.ScalarTwinsTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NarrowGemm} (C with 5 to 16 columns) gives every element the documented sum of one FMA chain
 * per K block, computed here independently, and the bits of {@link Gemm#direct}: every layout, every
 * width, row counts around its 6-, 8- and 4-row blocks, k from 1 to 600 (one to three K blocks), the
 * operands at the very end of their arrays (its in-place loads must stay inside), and it writes C's
 * rows only: the floats around C and the rows outside a requested range keep their values.
 */
class NarrowGemmTest {
    private final int savedThreads = Parallelism.threads();

    @AfterEach
    void restore() { Parallelism.setThreads(savedThreads); }

    private static final boolean[][] LAYOUTS = {{false, false}, {false, true}, {true, false}, {true, true}};
    private static final int[] ROWS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 17, 20, 26, 32, 33};
    private static final int[] DEPTHS = {1, 2, 7, 10, 33, 128, 256, 257, 300, 513, 600};

    /** C = op(A)·op(B) by the class comment of {@link Gemm}: per K block one FMA chain from +0f, the blocks' sums added in order. */
    static float[] chains(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, float[] b, int bOff) {
        int blocks = (k + 255) / 256, kb = (k + blocks - 1) / blocks;
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float sum = 0f, block = 0f;
                for (int p = 0; p < k; p++) {
                    float x = ta ? a[aOff + p * m + i] : a[aOff + i * k + p], y = tb ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    block = Math.fma(x, y, block);
                    if (p == k - 1 || (p + 1) % kb == 0) {
                        sum = p < kb ? block : sum + block;
                        block = 0f;
                    }
                }
                c[i * n + j] = sum;
            }
        return c;
    }

    private static void assertBits(float[] want, int wantOff, float[] got, int gotOff, int count, String what) {
        for (int e = 0; e < count; e++)
            if (Float.floatToRawIntBits(want[wantOff + e]) != Float.floatToRawIntBits(got[gotOff + e]))
                assertEquals(want[wantOff + e], got[gotOff + e], what + ": element " + e + " is not the sum of FMA chains");
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void everyLayoutRowCountAndDepthIsTheSumOfOneChainPerKBlock(int n) {
        SplittableRandom r = new SplittableRandom(n);
        int aOff = 3, bOff = 5, cOff = 7, guard = 11;
        for (int m : ROWS)
            for (int k : DEPTHS)
                for (boolean[] t : LAYOUTS) {
                    if ((long) m * n * k < Gemm.DIRECT_MAX_WORK && (m * 7 + k) % 3 != 0) continue; // a third of the tiny ones
                    float[] a = random(r, aOff + m * k), b = random(r, bOff + k * n); // each operand ends its array
                    float[] c = random(r, cOff + m * n + guard), before = c.clone();
                    String shape = m + "×" + n + "×" + k + (t[0] ? " Aᵀ" : "") + (t[1] ? " Bᵀ" : "");
                    NarrowGemm.multiply(t[0], t[1], m, n, k, a, aOff, b, bOff, c, cOff, 0, m);
                    assertBits(chains(t[0], t[1], m, n, k, a, aOff, b, bOff), 0, c, cOff, m * n, shape);
                    assertBits(before, 0, c, 0, cOff, shape + ", before C");
                    assertBits(before, cOff + m * n, c, cOff + m * n, guard, shape + ", after C");
                    float[] direct = new float[m * n];
                    Gemm.direct(t[0], t[1], m, n, k, a, aOff, b, bOff, direct, 0);
                    assertBits(direct, 0, c, cOff, m * n, shape + " against Gemm.direct");
                }
    }

    @Test
    void gemmSendsNarrowProductsHereAndNoOthers() {
        for (int n = 1; n <= 40; n++) assertEquals(n >= 5 && n <= 16, NarrowGemm.computes(32, n), "n=" + n);
        assertTrue(NarrowGemm.computes(2000, 15) && !NarrowGemm.computes(129, 16) && NarrowGemm.computes(128, 16), "16 columns: few rows only");
        SplittableRandom r = new SplittableRandom(4);
        for (int[] s : new int[][] {{32, 10, 128}, {128, 10, 32}, {64, 10, 512}, {3, 13, 700}}) // through Gemm.matmul
            for (boolean[] t : LAYOUTS) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(r, m * k), b = random(r, k * n), c = new float[m * n];
                Gemm.matmul(t[0], t[1], m, n, k, a, 0, b, 0, c, 0);
                assertBits(chains(t[0], t[1], m, n, k, a, 0, b, 0), 0, c, 0, m * n, m + "×" + n + "×" + k + " through Gemm");
            }
    }

    @Test
    void anyRangeOfRowsIsThoseRowsOfTheWholeProductAndNothingElse() {
        SplittableRandom r = new SplittableRandom(9);
        for (int n : new int[] {5, 8, 10, 16})
            for (int[] mk : new int[][] {{41, 300}, {32, 128}, {64, 12}})
                for (boolean[] t : LAYOUTS) {
                    int m = mk[0], k = mk[1];
                    float[] a = random(r, m * k), b = random(r, k * n);
                    float[] whole = chains(t[0], t[1], m, n, k, a, 0, b, 0);
                    for (int trial = 0; trial < 8; trial++) {
                        int i0 = r.nextInt(m), i1 = i0 + 1 + r.nextInt(m - i0);
                        float[] c = new float[m * n];
                        Arrays.fill(c, Float.NaN);
                        NarrowGemm.multiply(t[0], t[1], m, n, k, a, 0, b, 0, c, 0, i0, i1);
                        String what = m + "×" + n + "×" + k + " rows " + i0 + ".." + i1;
                        assertBits(whole, i0 * n, c, i0 * n, (i1 - i0) * n, what);
                        for (int e = 0; e < m * n; e++)
                            if (e < i0 * n || e >= i1 * n) assertTrue(Float.isNaN(c[e]), what + " wrote element " + e);
                    }
                }
    }

    @Test
    void threadsSplitNarrowProductsByRowsWithTheSameBits() {
        SplittableRandom r = new SplittableRandom(5);
        for (int[] s : new int[][] {{2000, 10, 64}, {700, 7, 300}, {333, 15, 600}})
            for (boolean[] t : LAYOUTS) {
                int m = s[0], n = s[1], k = s[2];
                assertTrue(Gemm.parts(m, n, k, 3) > 1, "the product is split");
                float[] a = random(r, m * k), b = random(r, k * n);
                float[] want = chains(t[0], t[1], m, n, k, a, 0, b, 0);
                for (int threads = 1; threads <= 3; threads++) {
                    Parallelism.setThreads(threads);
                    float[] c = new float[m * n];
                    Gemm.matmul(t[0], t[1], m, n, k, a, 0, b, 0, c, 0);
                    assertBits(want, 0, c, 0, m * n, m + "×" + n + "×" + k + " on " + threads + " threads");
                }
            }
    }

    /** Tens of thousands of calls, so that C2 has compiled the kernels, each result against the chains. */
    @Test
    void compiledKernelsKeepTheChains() {
        SplittableRandom r = new SplittableRandom(6);
        int[][] shapes = {{32, 10, 128}, {13, 9, 40}, {22, 6, 33}, {10, 16, 300}, {17, 12, 20}};
        float[][] as = new float[shapes.length][], bs = new float[shapes.length][], wants = new float[shapes.length * 4][];
        for (int q = 0; q < shapes.length; q++) {
            int m = shapes[q][0], n = shapes[q][1], k = shapes[q][2];
            as[q] = random(r, m * k);
            bs[q] = random(r, k * n);
            for (int l = 0; l < 4; l++) wants[4 * q + l] = chains(LAYOUTS[l][0], LAYOUTS[l][1], m, n, k, as[q], 0, bs[q], 0);
        }
        for (int it = 0; it < 20_000; it++) {
            int q = it % shapes.length, l = (it / shapes.length) % 4;
            int m = shapes[q][0], n = shapes[q][1], k = shapes[q][2];
            float[] c = new float[m * n];
            NarrowGemm.multiply(LAYOUTS[l][0], LAYOUTS[l][1], m, n, k, as[q], 0, bs[q], 0, c, 0, 0, m);
            if (it % 97 == 0 || it > 19_000) assertBits(wants[4 * q + l], 0, c, 0, m * n, "call " + it + ", " + m + "×" + n + "×" + k);
        }
    }

    @Test
    void kernelsMatchTheScalarTwin() {
        assumeTrue(VectorSupport.AVAILABLE, "the vector kernels need jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(8);
        for (int kc : new int[] {1, 3, 8, 64, 256})
            for (int n = 5; n <= 16; n++)
                for (boolean accumulate : new boolean[] {false, true}) {
                    int rows = n > 8 ? 6 : 8, rowStep = kc + 3;
                    float[] a = random(r, rows * rowStep + 2), b = random(r, kc * n + 8 + 4), c = random(r, rows * n + 9);
                    float[] v = c.clone(), s = c.clone(), tile = new float[8];
                    if (n > 8) NarrowGemmVectors.rows6x16(kc, a, 2, rowStep, 1, b, 4, n, v, 1, n, accumulate);
                    else NarrowGemmVectors.rows8x8(kc, a, 2, rowStep, 1, b, 4, n, v, 1, n, accumulate, tile);
                    NarrowGemmScalar.rows(kc, rows, a, 2, rowStep, 1, b, 4, n, s, 1, n, accumulate);
                    assertBits(s, 0, v, 0, v.length, rows + " rows, n=" + n + ", kc=" + kc + (accumulate ? ", accumulating" : ""));
                }
    }

    @Test
    void callsAllocateNothingOnceWarm() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = random(r, 32 * 128), w = random(r, 128 * 10), y = new float[32 * 10], dw = new float[128 * 10], dx = new float[32 * 128];
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        double best = Double.MAX_VALUE;
        // Vector code allocates until C2 has compiled it: a round with no allocation must come eventually.
        for (int round = 0; round < 100 && best > 0; round++) {
            long before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < 200; i++) {
                Gemm.matmul(false, false, 32, 10, 128, x, 0, w, 0, y, 0); // forward x·W
                Gemm.matmul(true, false, 128, 10, 32, x, 0, y, 0, dw, 0); // weight gradient xᵀ·dy
                Gemm.matmul(false, true, 32, 128, 10, y, 0, w, 0, dx, 0); // input gradient dy·Wᵀ (PackedGemm, k = 10)
                Gemm.matmul(false, true, 32, 8, 128, x, 0, w, 0, y, 0); // n ≤ 8, B transposed
            }
            best = Math.min(best, (mx.getThreadAllocatedBytes(id) - before) / 200.0);
        }
        assertEquals(0.0, best, 0.5, "bytes allocated per round of calls, best round");
    }
}

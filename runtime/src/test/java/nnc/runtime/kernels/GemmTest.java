package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GemmTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 1, 7}, {64, 1, 784}, {9, 2, 33}, {8, 8, 8}, {3, 5, 4}, {7, 13, 5}, {10, 3, 2}, {2, 2, 300}, {4, 16, 1}, {5, 17, 3},
        {3, 9, 700}, {33, 7, 65}, {64, 10, 512}, {65, 129, 300}, {96, 512, 256}, {97, 513, 257},
        {1, 600, 40}, {600, 1, 40}, {130, 31, 129}, {64, 784, 20}, {9, 1030, 12}, {300, 6, 300},
        {12, 32, 300}, {18, 16, 600}, {6, 20, 257}, {96, 24, 70}, {32, 32, 16}, {32, 16, 32}, {200, 16, 300}, {203, 10, 64}, // at most two panels: A read in place
        {20, 128, 300}, {32, 64, 40}, {8, 48, 9}, {512, 40, 33}, // 6f + 2 rows: the last 8 as two 4-row panels
        {32, 128, 784}, {64, 120, 300}, {13, 100, 600}, // a batch's forward product, several K blocks: A (untransposed) read in place
        {32, 64, 256}, {90, 100, 200}, {16, 128, 64}, {64, 84, 120}, {95, 128, 1}, {7, 33, 256}, // ≤ 96 rows, ≤ 8 panels, one K block: A (untransposed) read in place
        {101, 70, 300}, {97, 33, 257}, {150, 256, 520}, {512, 64, 64}, // many rows, ≤ 16 panels: all of B packed, A (untransposed) read in place
    };
    private static final boolean[][] LAYOUTS = {{false, false}, {false, true}, {true, false}, {true, true}};

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (int[] sh : SHAPES)
            for (boolean[] t : LAYOUTS) s.add(Arguments.of(t[0], t[1], sh[0], sh[1], sh[2]));
        return s.build();
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    private static float opA(boolean t, float[] a, int off, int m, int k, int i, int p) {
        return t ? a[off + p * m + i] : a[off + i * k + p];
    }

    private static float opB(boolean t, float[] b, int off, int n, int k, int p, int j) {
        return t ? b[off + j * k + p] : b[off + p * n + j];
    }

    @ParameterizedTest(name = "transA={0} transB={1} {2}x{3}x{4}")
    @MethodSource("cases")
    void matchesDoubleReferenceAndTheExactSumOfFmaChains(boolean ta, boolean tb, int m, int n, int k) {
        SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
        int aOff = 3, bOff = 5, cOff = 11, guard = 9;
        float[] a = random(r, aOff + m * k + guard);
        float[] b = random(r, bOff + k * n + guard);
        float[] c = random(r, cOff + m * n + guard);
        float[] before = c.clone();
        Gemm.matmul(ta, tb, m, n, k, a, aOff, b, bOff, c, cOff);
        int blocks = (k + 255) / 256, kb = (k + blocks - 1) / blocks; // k in ceil(k / 256) blocks as equal as possible
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0, magnitude = 0;
                float chain = 0f, block = 0f;
                for (int p = 0; p < k; p++) {
                    float x = opA(ta, a, aOff, m, k, i, p), y = opB(tb, b, bOff, n, k, p, j);
                    exact += (double) x * y;
                    magnitude += Math.abs((double) x * y);
                    block = Math.fma(x, y, block);
                    if (p == k - 1 || (p + 1) % kb == 0) { // a block ends: its chain joins the sum
                        chain = p < kb ? block : chain + block;
                        block = 0f;
                    }
                }
                float got = c[cOff + i * n + j];
                String where = "C[" + i + "," + j + "] = " + got + ", expected " + exact;
                assertTrue(Math.abs(got - exact) <= 1e-5 * magnitude + 1e-30, where);
                assertEquals(Float.floatToRawIntBits(chain), Float.floatToRawIntBits(got),
                        "C[" + i + "," + j + "] is not the documented sum of FMA chains");
            }
        }
        for (int x = 0; x < cOff; x++) assertEquals(before[x], c[x], "C written before its offset");
        for (int x = cOff + m * n; x < c.length; x++) assertEquals(before[x], c[x], "C written past its end");
    }

    @Test
    void deterministicAcrossCallsAndIndependentOfCallHistory() {
        SplittableRandom r = new SplittableRandom(42);
        int m = 70, n = 530, k = 300;
        float[] a = random(r, m * k), b = random(r, k * n);
        float[] c1 = new float[m * n], c2 = new float[m * n];
        Gemm.matmul(false, false, m, n, k, a, 0, b, 0, c1, 0);
        float[] other = new float[40 * 40];
        Gemm.matmul(true, true, 40, 40, 40, random(r, 1600), 0, random(r, 1600), 0, other, 0);
        Arrays.fill(c2, Float.NaN);
        Gemm.matmul(false, false, m, n, k, a, 0, b, 0, c2, 0);
        assertArrayEquals(c1, c2);
    }

    @ParameterizedTest(name = "transA={0} transB={1} {2}x{3}x{4}")
    @MethodSource("cases")
    void directAndPackedPathsAgreeBitwise(boolean ta, boolean tb, int m, int n, int k) {
        SplittableRandom r = new SplittableRandom(7);
        float[] a = random(r, m * k), b = random(r, k * n);
        float[] direct = new float[m * n], packed = new float[m * n];
        Gemm.direct(ta, tb, m, n, k, a, 0, b, 0, direct, 0);
        PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, packed, 0);
        assertArrayEquals(direct, packed);
    }

    @Test
    void emptyInnerDimensionWritesZeros() {
        float[] c = {7, 7, 7, 7, 7};
        Gemm.matmul(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 1);
        assertArrayEquals(new float[] {7, 0, 0, 0, 0}, c);
    }

    @Test
    void playgroundShape() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        float[] w = {1, 0, -1, 0.5f, 2, 0};
        float[] c = new float[30];
        Gemm.matmul(false, false, 10, 3, 2, x, 0, w, 0, c, 0);
        for (int i = 0; i < 10; i++) {
            assertEquals(x[2 * i] + 0.5f * x[2 * i + 1], c[3 * i]);
            assertEquals(2 * x[2 * i + 1], c[3 * i + 1]);
            assertEquals(-x[2 * i], c[3 * i + 2]);
        }
    }
}

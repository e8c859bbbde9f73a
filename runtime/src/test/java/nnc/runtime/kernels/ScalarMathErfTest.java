package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ScalarMath#erf} against CPython's {@code math.erf} / {@code math.erfc} (values printed by Python 3.11). */
class ScalarMathErfTest {
    /** x, erf(x) from {@code math.erf}. */
    static final double[][] ERF = {
            {0, 0.0}, {1e-08, 1.1283791670955126e-08}, {0.001, 0.0011283787909692365}, {0.1, 0.1124629160182849},
            {0.25, 0.2763263901682369}, {0.5, 0.5204998778130465}, {0.7071067811865476, 0.682689492137086},
            {1, 0.8427007929497149}, {1.5, 0.9661051464753108}, {2, 0.9953222650189527}, {2.5, 0.999593047982555},
            {2.9999, 0.9999778955735178}, {3, 0.9999779095030014}, {3.5, 0.9999992569016276}, {4, 0.9999999845827421},
            {4.5, 0.9999999998033839}, {5, 0.9999999999984626}, {5.9, 0.9999999999999999}, {6, 1.0}, {8, 1.0},
    };

    /** x, erfc(x) from {@code math.erfc}: the tail the continued fraction computes. */
    static final double[][] ERFC = {
            {3.0, 2.2090496998585438e-05}, {3.5, 7.430983723414128e-07}, {4.0, 1.541725790028002e-08},
    };

    @Test
    void doubleErfIsWithin2e15AndOdd() { // f32 resolves 6e-8 near 1: ample
        for (double[] c : ERF) {
            assertEquals(c[1], ScalarMath.erf(c[0]), 2e-15 * Math.max(1e-3, Math.abs(c[1])), "erf(" + c[0] + ")");
            assertEquals(-c[1], ScalarMath.erf(-c[0]), 2e-15 * Math.max(1e-3, Math.abs(c[1])), "erf(-" + c[0] + ")");
        }
    }

    @Test
    void tailMatchesErfcToTenDigits() {
        for (double[] c : ERFC) {
            double tail = 1 - ScalarMath.erf(c[0]);
            assertTrue(Math.abs(tail - c[1]) <= 1e-10 * c[1] + 2e-16, "erfc(" + c[0] + "): " + tail + " vs " + c[1]);
        }
    }

    /** |erf(x) − exact| in ulps of the rounded exact value. */
    private static double ulps(float x) {
        double exact = ScalarMath.erf((double) x);
        return Math.abs(ScalarMath.erf(x) - exact) / Math.ulp((float) exact);
    }

    @Test
    void floatErfIsWithinOneAndAHalfUlpOfPythonsValues() {
        for (double[] c : ERF) {
            float x = (float) c[0];
            if (x != c[0]) continue;
            double ulp = Math.ulp((float) c[1]);
            assertEquals(c[1], ScalarMath.erf(x), 1.5 * ulp, "erf(" + x + "f)");
            assertEquals(-c[1], ScalarMath.erf(-x), 1.5 * ulp, "erf(-" + x + "f)");
        }
        assertTrue(Float.isNaN(ScalarMath.erf(Float.NaN)));
        assertEquals(1f, ScalarMath.erf(Float.POSITIVE_INFINITY));
        assertEquals(-1f, ScalarMath.erf(Float.NEGATIVE_INFINITY));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ScalarMath.erf(0f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ScalarMath.erf(-0f)));
    }

    @Test
    void increasesMonotonicallyAcrossTheBranchPoints() {
        double previous = -1;
        for (double x = -7; x <= 7; x += 1e-3) {
            double v = ScalarMath.erf(x);
            assertTrue(v >= previous, "erf is not monotone at " + x);
            previous = v;
        }
    }

    /** Dropout's counter-based draws: in [0, 1), deterministic, uniform (deciles within 4σ), and sensitive to either argument. */
    @Test
    void hashUniformIsDeterministicAndUniform() {
        int n = 100_000;
        int[] deciles = new int[10];
        int sameAsNextSalt = 0;
        for (int i = 0; i < n; i++) {
            float x = 1 + i * 1e-3f;
            float u = ScalarMath.hashUniform(x, 7f);
            assertTrue(u >= 0f && u < 1f, "out of range: " + u);
            assertEquals(u, ScalarMath.hashUniform(x, 7f));
            deciles[(int) (u * 10)]++;
            if (u == ScalarMath.hashUniform(x, 8f)) sameAsNextSalt++;
        }
        double sigma = Math.sqrt(n * 0.1 * 0.9);
        for (int d = 0; d < 10; d++) assertTrue(Math.abs(deciles[d] - n / 10) < 4 * sigma, "decile " + d + ": " + deciles[d]);
        assertTrue(sameAsNextSalt < 10, sameAsNextSalt + " values unchanged by another salt");
    }

    /**
     * On a dense sweep of floats (every 2⁻¹⁶·x or so, both signs): within 1.5 ulp of the double
     * series, mostly the correctly rounded value, odd bit for bit, and exactly ±1 from |x| = 4 on.
     * (Measured over every float in [0, 4.5]: at most 1.32 ulp, 99.3 % correctly rounded.)
     */
    @Test
    void floatErfIsWithinOneAndAHalfUlpOnADenseSweep() {
        int points = 0, rounded = 0;
        double worst = 0;
        for (float x = Float.MIN_VALUE; x <= 6.5f; x = Math.nextUp(x + x * 0x1p-16f), points++) {
            double e = ulps(x);
            worst = Math.max(worst, e);
            assertTrue(e <= 1.5, "erf(" + x + "f) is " + e + " ulp off");
            if (ScalarMath.erf(x) == (float) ScalarMath.erf((double) x)) rounded++;
            assertEquals(Float.floatToRawIntBits(-ScalarMath.erf(x)), Float.floatToRawIntBits(ScalarMath.erf(-x)), "erf(-" + x + "f)");
            if (x >= 4f) assertEquals(1f, ScalarMath.erf(x), "erf(" + x + "f)");
        }
        for (float x : new float[] {1f, Math.nextDown(1f), Math.nextUp(1f), 4f, Math.nextDown(4f), 1e-30f, Float.MIN_VALUE, 1e3f, Float.MAX_VALUE})
            assertTrue(ulps(x) <= 1.5, "erf(" + x + "f) is " + ulps(x) + " ulp off");
        assertTrue(points > 1_000_000, points + " points");
        assertTrue(rounded > 0.98 * points, rounded + " of " + points + " correctly rounded, worst " + worst + " ulp");
    }
}

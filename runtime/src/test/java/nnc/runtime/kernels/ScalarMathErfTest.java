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

    @Test
    void floatErfIsTheRoundedValueForExactFloatArguments() {
        for (double[] c : ERF) {
            float x = (float) c[0];
            if (x != c[0]) continue;
            assertEquals((float) c[1], ScalarMath.erf(x), "erf(" + x + "f)");
        }
        assertTrue(Float.isNaN(ScalarMath.erf(Float.NaN)));
        assertEquals(1f, ScalarMath.erf(Float.POSITIVE_INFINITY));
        assertEquals(-1f, ScalarMath.erf(Float.NEGATIVE_INFINITY));
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

    /** The fast f32 erf (piecewise polynomials) rounds like the double series on a dense sweep of floats. */
    @Test
    void fastFloatErfRoundsLikeTheSeries() {
        int points = 0;
        for (float x = -6.5f; x <= 6.5f; x = Math.nextUp(x + 2e-5f), points++) {
            assertEquals((float) ScalarMath.erf((double) x), ScalarMath.erf(x), "erf(" + x + "f)");
            assertEquals(ScalarMath.erf((double) x), ScalarMath.erfFast(x), 5e-15 * Math.abs(ScalarMath.erf((double) x)), "erfFast(" + x + ")");
        }
        for (float x : new float[] {0.25f, Math.nextDown(0.25f), Math.nextUp(0.25f), 6f, Math.nextDown(6f), 1e-30f, Float.MIN_VALUE, 5.99f,
                1e3f, -1e3f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
            assertEquals((float) ScalarMath.erf((double) x), ScalarMath.erf(x), "erf(" + x + "f)");
        assertTrue(points > 600_000, points + " points");
    }
}

package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * sin, cos, expm1 and log1p, which reduce and evaluate in double and round once: their error in f32
 * ulps (at most 0.51: correctly rounded but for rare double roundings) against the JDK's double functions (StrictMath, fdlibm) on random floats of every range the
 * brief names (|x| up to 1e5, then to 4e8 where the double reduction stops, and beyond, where the
 * StrictMath fallback takes over), around 0 for expm1 and log1p, and every special value; and their
 * lane forms against the scalar forms, bit for bit.
 */
class ScalarMathDoubleKernelsTest {
    interface F { float apply(float x); }

    /** The largest error in f32 ulps of the exact value (taken as the double reference) over {@code xs}. */
    static double maxUlps(float[] xs, F f, DoubleUnaryOperator reference) {
        double worst = 0;
        for (float x : xs) {
            double want = reference.applyAsDouble(x);
            float got = f.apply(x);
            if (Double.isNaN(want) || Float.isInfinite((float) want)) {
                assertEquals((float) want, got, "at " + x); // NaN for NaN, the same overflow
                continue;
            }
            double ulp = Math.ulp((float) want);
            if (want == 0) {
                assertEquals(Float.floatToRawIntBits((float) want), Float.floatToRawIntBits(got), "at " + x); // the sign of zero too
                continue;
            }
            worst = Math.max(worst, Math.abs(got - want) / ulp);
        }
        System.out.printf("max error over %d points: %.3f ulp%n", xs.length, worst);
        return worst;
    }

    static float[] random(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(lo, hi);
        return v;
    }

    /** Magnitudes spread evenly over the exponents from 2^lo to 2^hi, both signs. */
    static float[] logSpread(long seed, int n, int lo, int hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(2, r.nextDouble(lo, hi)));
        return v;
    }

    @Test
    void sinAndCosAreCorrectlyRoundedUpTo1e5AndBeyond() {
        for (float[] xs : new float[][] {random(1, 200_000, -10, 10), random(2, 200_000, -1e5, 1e5), logSpread(3, 200_000, -140, 28),
                logSpread(4, 50_000, 28, 128), VectorMathLaneTest.SPECIAL}) {
            assertTrue(maxUlps(xs, ScalarMath::sin, StrictMath::sin) <= 0.51, "sin");
            assertTrue(maxUlps(xs, ScalarMath::cos, StrictMath::cos) <= 0.51, "cos");
        }
    }

    @Test
    void sinAndCosNearMultiplesOfHalfPiKeepTheirRelativeAccuracy() {
        float[] xs = new float[4000];
        for (int k = 1; k <= 2000; k++) {
            float near = (float) (k * 401 * Math.PI / 2);
            xs[2 * k - 2] = near;
            xs[2 * k - 1] = Math.nextUp(near);
        }
        assertTrue(maxUlps(xs, ScalarMath::sin, StrictMath::sin) <= 0.51);
        assertTrue(maxUlps(xs, ScalarMath::cos, StrictMath::cos) <= 0.51);
    }

    @Test
    void expm1AndLog1pAreCorrectlyRoundedAndExactNearZero() {
        for (float[] xs : new float[][] {random(5, 200_000, -20, 90), logSpread(6, 200_000, -149, 7), VectorMathLaneTest.SPECIAL}) {
            assertTrue(maxUlps(xs, ScalarMath::expm1, StrictMath::expm1) <= 0.51, "expm1");
        }
        for (float[] xs : new float[][] {random(7, 200_000, -1, 10), logSpread(8, 200_000, -149, 127), VectorMathLaneTest.SPECIAL}) {
            assertTrue(maxUlps(xs, ScalarMath::log1p, StrictMath::log1p) <= 0.51, "log1p");
        }
        assertEquals(1e-30f, ScalarMath.expm1(1e-30f));
        assertEquals(1e-30f, ScalarMath.log1p(1e-30f));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ScalarMath.expm1(-0f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ScalarMath.log1p(-0f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ScalarMath.sin(-0f)));
        assertEquals(Float.NEGATIVE_INFINITY, ScalarMath.log1p(-1f));
        assertTrue(Float.isNaN(ScalarMath.log1p(-1.5f)));
        assertEquals(-1f, ScalarMath.expm1(-30f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.expm1(89f));
    }

    @Test
    void lanesAreTheScalarBits() {
        float[] v = VectorMathLaneTest.values(20_000, 20_000);
        float[] w = VectorMathLaneTest.shuffled(v, 9);
        VectorMathLaneTest.agree("sin", v, w, (a, b) -> VectorMath.sin(a), (a, b) -> ScalarMath.sin(a), true);
        VectorMathLaneTest.agree("cos", v, w, (a, b) -> VectorMath.cos(a), (a, b) -> ScalarMath.cos(a), true);
        VectorMathLaneTest.agree("expm1", v, w, (a, b) -> VectorMath.expm1(a), (a, b) -> ScalarMath.expm1(a), true);
        VectorMathLaneTest.agree("log1p", v, w, (a, b) -> VectorMath.log1p(a), (a, b) -> ScalarMath.log1p(a), true);
        VectorMathLaneTest.agree("sign", v, w, (a, b) -> VectorMath.sign(a), (a, b) -> ScalarMath.sign(a), true);
        float[] small = logSpread(10, 8000, -40, 3), big = logSpread(11, 8000, 20, 40);
        VectorMathLaneTest.agree("sin", small, big, (a, b) -> VectorMath.sin(b), (a, b) -> ScalarMath.sin(b), true);
        VectorMathLaneTest.agree("cos", small, big, (a, b) -> VectorMath.cos(b), (a, b) -> ScalarMath.cos(b), true);
        VectorMathLaneTest.agree("expm1", small, big, (a, b) -> VectorMath.expm1(a), (a, b) -> ScalarMath.expm1(a), true);
        VectorMathLaneTest.agree("log1p", small, big, (a, b) -> VectorMath.log1p(a), (a, b) -> ScalarMath.log1p(a), true);
    }
}

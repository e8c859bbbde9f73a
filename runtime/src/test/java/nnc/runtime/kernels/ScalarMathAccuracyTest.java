package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * ScalarMath's polynomial transcendentals against the JDK's double-precision functions over millions
 * of points (relative error bounds), their special values, and VectorMath computing the same bits
 * lane by lane (before and after JIT warm-up; any NaN equals any NaN, as the hardware's NaN payload
 * depends on which operand of a commutative operation the JIT puts first).
 */
class ScalarMathAccuracyTest {
    /** 2⁻²⁴: half an ulp at 1. The bounds below are in these units. */
    static final double U = 0x1p-24;
    static final int POINTS = 2_000_000;

    interface F { float apply(float x); }

    /** Max relative error over {@code POINTS} uniform points of [lo, hi] plus every float near 0 and the ends. */
    static double maxRelError(F f, DoubleUnaryOperator exact, float lo, float hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int k = 0; k < POINTS; k++) {
            float x = (float) (lo + (hi - lo) * r.nextDouble());
            double want = exact.applyAsDouble(x);
            if (want == 0 || Double.isInfinite(want) || Math.abs(want) < Float.MIN_NORMAL || Math.abs(want) > Float.MAX_VALUE) continue;
            worst = Math.max(worst, Math.abs(f.apply(x) - want) / Math.abs(want));
        }
        System.out.printf("max relative error on [%g, %g]: %.3f × 2^-24%n", lo, hi, worst / U);
        return worst;
    }

    @Test
    void expIsWithinTwoUlps() {
        double e = maxRelError(ScalarMath::exp, Math::exp, -87f, 88.7f, 1);
        assertTrue(e <= 3 * U, "exp max relative error " + e / U + " × 2^-24");
        assertTrue(maxRelError(ScalarMath::exp, Math::exp, -1f, 1f, 2) <= 3 * U);
    }

    @Test
    void logIsWithinTwoUlps() {
        assertTrue(maxRelError(ScalarMath::log, Math::log, 1e-30f, 1e30f, 3) <= 3 * U);
        double e = maxRelError(ScalarMath::log, Math::log, 0.01f, 100f, 4);
        assertTrue(e <= 3 * U, "log max relative error " + e / U + " × 2^-24");
        assertTrue(maxRelError(ScalarMath::log, Math::log, 0.5f, 2f, 5) <= 3 * U);
        assertTrue(maxRelError(ScalarMath::log, Math::log, 1e-44f, 1e-38f, 6) <= 3 * U, "subnormal arguments");
    }

    @Test
    void tanhSigmoidSoftplusAreWithinFourUlps() {
        double t = maxRelError(ScalarMath::tanh, Math::tanh, -12f, 12f, 7);
        assertTrue(t <= 5 * U, "tanh max relative error " + t / U + " × 2^-24");
        assertTrue(maxRelError(ScalarMath::tanh, Math::tanh, -1e-3f, 1e-3f, 8) <= 3 * U);
        double s = maxRelError(ScalarMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -80f, 40f, 9);
        assertTrue(s <= 5 * U, "sigmoid max relative error " + s / U + " × 2^-24");
        DoubleUnaryOperator softplus = x -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
        double p = maxRelError(ScalarMath::softplus, softplus, -80f, 80f, 10);
        assertTrue(p <= 8 * U, "softplus max relative error " + p / U + " × 2^-24");
    }

    @Test
    void specialValues() {
        assertEquals(1f, ScalarMath.exp(0f));
        assertEquals(1f, ScalarMath.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, ScalarMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, ScalarMath.exp(-104f));
        assertTrue(ScalarMath.exp(-100f) > 0f, "subnormal results are kept: " + ScalarMath.exp(-100f));
        assertTrue(Float.isNaN(ScalarMath.exp(Float.NaN)));
        assertEquals(0f, ScalarMath.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, ScalarMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, ScalarMath.log(-0f));
        assertTrue(Float.isNaN(ScalarMath.log(-1f)));
        assertTrue(Float.isNaN(ScalarMath.log(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.log(Float.POSITIVE_INFINITY));
        assertEquals(1f, ScalarMath.tanh(50f));
        assertEquals(-1f, ScalarMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ScalarMath.tanh(-0f)));
        assertEquals(0f, ScalarMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(1f, ScalarMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0.5f, ScalarMath.sigmoid(0f));
        assertEquals((float) Math.log(2), ScalarMath.softplus(0f), 1e-7f);
        assertEquals(100f, ScalarMath.softplus(100f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.softplus(Float.POSITIVE_INFINITY));
        assertEquals((float) Math.exp(-30), ScalarMath.softplus(-30f), 1e-19f);
    }

    @Test
    void vectorLanesGiveTheScalarBitsBeforeAndAfterWarmUp() {
        float[] xs = samples();
        for (int round = 0; round < 30; round++) compareAll(xs, round == 0 || round == 29);
    }

    private static void compareAll(float[] xs, boolean check) {
        float[] lanes = new float[8];
        for (int k = 0; k + 8 <= xs.length; k += 8) {
            FloatVector v = FloatVector.fromArray(VectorMath.SPECIES, xs, k);
            compare(VectorMath.exp(v), ScalarMath::exp, xs, k, lanes, check, "exp");
            compare(VectorMath.log(v), ScalarMath::log, xs, k, lanes, check, "log");
            compare(VectorMath.tanh(v), ScalarMath::tanh, xs, k, lanes, check, "tanh");
            compare(VectorMath.sigmoid(v), ScalarMath::sigmoid, xs, k, lanes, check, "sigmoid");
            compare(VectorMath.softplus(v), ScalarMath::softplus, xs, k, lanes, check, "softplus");
        }
    }

    private static void compare(FloatVector v, F f, float[] xs, int k, float[] lanes, boolean check, String name) {
        v.intoArray(lanes, 0);
        if (!check) return;
        for (int l = 0; l < 8; l++) {
            float want = f.apply(xs[k + l]);
            if (Float.isNaN(want) && Float.isNaN(lanes[l])) continue; // NaN payloads depend on operand order the JIT may swap
            if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(lanes[l]))
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(lanes[l]),
                        name + "(" + xs[k + l] + "): scalar " + want + ", vector " + lanes[l]);
        }
    }

    /** Random points over several scales, and the special values. */
    private static float[] samples() {
        SplittableRandom r = new SplittableRandom(11);
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.7f, 89f, -87.4f, -104f, -110f, 0.625f,
                -0.625f, 0.62500006f, 1e-30f, -1e-30f, 3e-39f, 20f, -20f, 1e-8f, 0.5f, 2f};
        float[] xs = new float[40_000];
        System.arraycopy(special, 0, xs, 0, special.length);
        for (int k = special.length; k < xs.length; k++) {
            double scale = Math.pow(10, r.nextInt(-8, 3));
            xs[k] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return xs;
    }
}

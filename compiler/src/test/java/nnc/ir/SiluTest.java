package nnc.ir;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * silu(x) = x·σ(x) against worked numbers computed independently in double precision
 * ({@code /usr/bin/python3}: {@code x * s(x)} with a sign-split logistic {@code s}), to 4 f32 ulps or
 * 1e-7 absolute; its derivative is checked with every other function by finite differences
 * ({@code GradientCheckTest}), its lanes and runtime method by {@link ElementwiseFactsTest}.
 */
class SiluTest {
    static final double[][] WORKED = {
            {-100.0, -3.7200759760208363e-42},
            {-20.0, -4.1223072363804067e-08},
            {-3.5, -0.10259280762974711},
            {-1.0, -0.2689414213699951},
            {-0.25, -0.10945587477855047},
            {0.0, 0.0},
            {0.5, 0.3112296656009273},
            {1.0, 0.7310585786300049},
            {2.0, 1.7615941559557646},
            {7.0, 6.993622641639195},
            {30.0, 29.999999999997197},
            {100.0, 100.0},
    };

    @Test
    void siluMatchesWorkedNumbers() {
        for (double[] w : WORKED) {
            float x = (float) w[0], want = (float) w[1];
            float got = UnaryFn.SILU.apply(x);
            float tolerance = Math.max(4 * Math.ulp(want), 1e-7f);
            assertTrue(Math.abs(got - want) <= tolerance, "silu(" + x + ") = " + got + ", want " + want);
            assertTrue(Math.abs(UnaryFn.SILU.reference(x) - w[1]) <= 1e-12 * Math.max(1, Math.abs(w[1])), "reference at " + x);
        }
    }

    @Test
    void siluIsFiniteForLargeMagnitudes() {
        for (float x : new float[] {-1e30f, -1e6f, -88.8f, 88.8f, 1e6f, 1e30f, Float.MAX_VALUE, -Float.MAX_VALUE}) {
            float y = UnaryFn.SILU.apply(x);
            assertTrue(Float.isFinite(y), "silu(" + x + ") = " + y);
            assertTrue(x > 0 ? y == x : y <= 0 && y > -1e-30f, "silu(" + x + ") = " + y + " saturates");
        }
    }
}

package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link ScalarMath#flushSubnormal} and its lanes: what optimiser moments go through before they are stored. */
class FlushSubnormalTest {
    private static int bits(float x) { return Float.floatToRawIntBits(x); }

    @Test
    void subnormalsBecomePositiveZeroAndEverythingElseStays() {
        float[] kept = {Float.MIN_NORMAL, -Float.MIN_NORMAL, 1f, -3.5e-20f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f};
        for (float x : kept) assertEquals(bits(x), bits(ScalarMath.flushSubnormal(x)), "flush(" + x + ")");
        float[] flushed = {Float.MIN_VALUE, -Float.MIN_VALUE, Math.nextDown(Float.MIN_NORMAL), -Math.nextDown(Float.MIN_NORMAL), 1e-40f, -0f};
        for (float x : flushed) assertEquals(bits(0f), bits(ScalarMath.flushSubnormal(x)), "flush(" + x + ")");
        assertTrue(Float.isNaN(ScalarMath.flushSubnormal(Float.NaN)));
    }

    @Test
    void lanesGiveTheScalarBits() {
        float[] v = {Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL), -0f, 0f, 2.5f, Float.NaN,
                1e-39f, -1e-39f, 1e-37f, Float.NEGATIVE_INFINITY, -7f, 3e-38f, 1e-45f, 8e-39f};
        for (int base = 0; base < v.length; base += 8) {
            float[] lanes = VectorMath.flushSubnormal(FloatVector.fromArray(VectorMath.SPECIES, v, base)).toArray();
            for (int i = 0; i < 8; i++) assertEquals(bits(ScalarMath.flushSubnormal(v[base + i])), bits(lanes[i]), "lane " + (base + i));
        }
    }

    /**
     * Why moments are flushed: Adam's second moment of a weight whose gradient stays 0 decays by 0.999
     * per step into the subnormals, and there it stops (at 500 × 2⁻¹⁴⁹, which 0.999 × rounds back to
     * itself; the first moment, × 0.9, stops at 2⁻¹⁴⁹ at the latest). Flushed, it reaches 0 and stays there.
     */
    @Test
    void anUnflushedDecayingMomentStaysSubnormalForeverAndAFlushedOneReachesZero() {
        float v = 1e-30f, flushed = 1e-30f;
        for (int step = 0; step < 200_000; step++) {
            v = 0.999f * v + 0.001f * (0f * 0f);
            flushed = ScalarMath.flushSubnormal(0.999f * flushed + 0.001f * (0f * 0f));
        }
        assertTrue(v > 0 && v < Float.MIN_NORMAL, v + " is not subnormal");
        assertEquals(v, 0.999f * v, "a fixed point: " + v); // 500 × 2⁻¹⁴⁹: 0.999 × 500 = 499.5 rounds to even, 500
        assertEquals(0.9f * Float.MIN_VALUE, Float.MIN_VALUE);
        assertEquals(bits(0f), bits(flushed));
    }
}

package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath#select}, {@link VectorMath#hashUniform}, {@link VectorMath#exp} and
 * {@link VectorMath#erf} give, lane by lane, exactly the bits of the scalar definitions
 * ({@code cond != 0f ? a : b}, {@link ScalarMath#hashUniform}, {@link ScalarMath#exp}, {@link ScalarMath#erf}) over special values (NaN with payloads,
 * ±0, ±∞, subnormals, extreme magnitudes) and random bit patterns, each value in every lane.
 */
class VectorMathLaneTest {
    static final float[] SPECIAL = {
            0f, -0f, Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffa00000),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-40f, -3e-39f, Float.MAX_VALUE, -Float.MAX_VALUE,
            1f, -1f, 0.5f, 2.9999998f, 3f, 3.0000002f, 5.9999995f, 6f, -6f, 1e-8f, 0.1f, 0.84375f, 1e20f, -1e30f,
            12345.678f, 0.70710677f, 2f, -2.5f, 4f,
    };

    /** Special values, then random bit patterns (every class of float), then random values in [-8, 8]. */
    static float[] values(int randomBits, int randomSmall) {
        SplittableRandom r = new SplittableRandom(42);
        float[] v = new float[SPECIAL.length + randomBits + randomSmall];
        System.arraycopy(SPECIAL, 0, v, 0, SPECIAL.length);
        for (int k = 0; k < randomBits; k++) v[SPECIAL.length + k] = Float.intBitsToFloat(r.nextInt());
        for (int k = 0; k < randomSmall; k++) v[SPECIAL.length + randomBits + k] = (float) (r.nextDouble() * 16 - 8);
        return v;
    }

    interface Lanes { FloatVector apply(FloatVector a, FloatVector b); }
    interface Scalar { float apply(float a, float b); }

    /** Each pair (a[k], b[k]) goes through lane (k + shift) mod 8 for each shift. */
    static void agree(String what, float[] a, float[] b, Lanes lanes, Scalar scalar, boolean nanAsNan) {
        int n = a.length - a.length % 8;
        for (int shift = 0; shift < 8; shift += 3) {
            for (int base = 0; base < n; base += 8) {
                float[] x = new float[8], y = new float[8];
                for (int l = 0; l < 8; l++) {
                    x[l] = a[base + (l + shift) % 8];
                    y[l] = b[base + (l + shift) % 8];
                }
                float[] got = lanes.apply(FloatVector.fromArray(VectorMath.SPECIES, x, 0), FloatVector.fromArray(VectorMath.SPECIES, y, 0)).toArray();
                for (int l = 0; l < 8; l++) {
                    float w = scalar.apply(x[l], y[l]);
                    int want = Float.floatToRawIntBits(w);
                    // erf goes through double: converting a signalling NaN quiets it or not depending on
                    // the JIT tier, in scalar code as much as in lanes, so NaN results compare as NaN
                    if (nanAsNan && Float.isNaN(w) && Float.isNaN(got[l])) continue;
                    assertEquals(want, Float.floatToRawIntBits(got[l]),
                            () -> what + "(" + x[0] + ".., " + y[0] + "..): lane differs from scalar");
                }
            }
        }
    }

    static float[] shuffled(float[] v, long seed) {
        float[] s = v.clone();
        SplittableRandom r = new SplittableRandom(seed);
        for (int k = s.length - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            float t = s[k]; s[k] = s[j]; s[j] = t;
        }
        return s;
    }

    @Test
    void selectTakesTheScalarBranchBitwise() {
        float[] v = values(4000, 4000);
        float[] a = shuffled(v, 1), b = shuffled(v, 2), c = shuffled(v, 3);
        // conditions: the values themselves (NaN, ±0, subnormals...) and 0/1 masks
        for (float[] cond : new float[][] {c, mask(v.length)}) {
            int n = v.length - v.length % 8;
            for (int base = 0; base < n; base += 8) {
                FloatVector got = VectorMath.select(FloatVector.fromArray(VectorMath.SPECIES, cond, base),
                        FloatVector.fromArray(VectorMath.SPECIES, a, base), FloatVector.fromArray(VectorMath.SPECIES, b, base));
                for (int l = 0; l < 8; l++) {
                    int k = base + l;
                    float want = cond[k] != 0f ? a[k] : b[k];
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got.lane(l)), "select(" + cond[k] + ", " + a[k] + ", " + b[k] + ")");
                }
            }
        }
    }

    static float[] mask(int n) {
        SplittableRandom r = new SplittableRandom(7);
        float[] m = new float[n];
        for (int k = 0; k < n; k++) m[k] = r.nextBoolean() ? 1f : (r.nextBoolean() ? 0f : -0f);
        return m;
    }

    @Test
    void hashUniformLanesAreTheScalarBits() {
        float[] v = values(20000, 4000);
        agree("hashUniform", v, shuffled(v, 5), VectorMath::hashUniform, ScalarMath::hashUniform, false);
        // a broadcast salt, as dropout uses it, and small integer counters
        float[] salt = new float[v.length], counter = new float[v.length];
        Arrays.fill(salt, 1234567f);
        for (int k = 0; k < v.length; k++) counter[k] = k;
        agree("hashUniform", counter, salt, VectorMath::hashUniform, ScalarMath::hashUniform, false);
        agree("hashUniform", v, salt, VectorMath::hashUniform, ScalarMath::hashUniform, false);
    }

    @Test
    void hashUniformIsInTheUnitInterval() {
        float[] v = values(2000, 0);
        for (int base = 0; base + 8 <= v.length; base += 8)
            for (float h : VectorMath.hashUniform(FloatVector.fromArray(VectorMath.SPECIES, v, base), FloatVector.broadcast(VectorMath.SPECIES, 3f)).toArray())
                Assertions.assertTrue(h >= 0f && h < 1f, "hash " + h);
    }

    /**
     * exp's lane form clamps by compare and blend and reads k from the bits of n + 1.5·2²³ (not
     * {@code Math.min}/{@code max} and a conversion, as the scalar method does): every class of float,
     * and every float around the clamp bounds, the rounding boundaries of n and where results turn
     * subnormal, must still give the scalar bits.
     */
    @Test
    void expLanesAreTheScalarBits() {
        float[] v = values(20000, 20000);
        agree("exp", v, v, (a, b) -> VectorMath.exp(a), (a, b) -> ScalarMath.exp(a), true);
        float[] near = new float[8 * 4000];
        SplittableRandom r = new SplittableRandom(13);
        float[] centres = {-104f, 89f, -87.33655f, 88.72284f, -103.97208f, 0.34657359f, -0.34657359f, 0f, 1f, -1f, 44.014f, -60.5f};
        for (int k = 0; k < near.length; k++) {
            float c = centres[r.nextInt(centres.length)];
            near[k] = c == 0f ? Float.intBitsToFloat(r.nextInt(0x34000000)) * (r.nextBoolean() ? 1 : -1)
                    : Float.intBitsToFloat(Float.floatToRawIntBits(c) + r.nextInt(-3000, 3000));
        }
        agree("exp", near, near, (a, b) -> VectorMath.exp(a), (a, b) -> ScalarMath.exp(a), true);
    }

    @Test
    void erfLanesAreTheScalarBits() {
        float[] v = values(20000, 20000);
        agree("erf", v, v, (a, b) -> VectorMath.erf(a), (a, b) -> ScalarMath.erf(a), true);
    }

    @Test
    void erfLanesAreTheScalarBitsAroundTheBranchPoints() {
        float[] v = new float[8 * 2000];
        SplittableRandom r = new SplittableRandom(11);
        float[] centres = {0f, 1f, -1f, 0.5f, 3f, -3f, 4f, -4f, 0.35f, 1.04f, 1e-4f, 2f};
        for (int k = 0; k < v.length; k++) {
            float c = centres[r.nextInt(centres.length)];
            v[k] = Float.intBitsToFloat(Float.floatToRawIntBits(c == 0f ? Float.MIN_VALUE : c) + r.nextInt(-2000, 2000));
            if (c == 0f) v[k] = Float.intBitsToFloat(r.nextInt(0x34000000)) * (r.nextBoolean() ? 1 : -1);
        }
        agree("erf", v, v, (a, b) -> VectorMath.erf(a), (a, b) -> ScalarMath.erf(a), true);
    }

    /**
     * erf and tanh skip their second piece when every lane takes the first (|x| below 1, not above
     * 0.625): vectors of that piece alone, and such vectors with one lane of the other piece, a NaN,
     * ±0, ±∞ or a value at the boundary, in every lane position, must still give the scalar bits.
     */
    @Test
    void erfAndTanhVectorsOfOnePieceAreTheScalarBits() {
        SplittableRandom r = new SplittableRandom(17);
        float[] odd = {Float.NaN, Float.intBitsToFloat(0x7fc01234), 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            1f, -1f, Math.nextDown(1f), 0.625f, -0.625f, Math.nextUp(0.625f), 2.5f, -3.75f, Float.MIN_VALUE};
        for (float limit : new float[] {1f, 0.625f}) {
            float[] v = new float[8 * 3000];
            for (int base = 0; base < v.length; base += 8) {
                for (int l = 0; l < 8; l++) {
                    float x = (float) (r.nextDouble() * limit);
                    v[base + l] = Math.nextDown(r.nextBoolean() ? x : -x); // strictly inside: |x| < limit
                }
                if (base % 16 == 8) v[base + r.nextInt(8)] = odd[r.nextInt(odd.length)]; // every other vector: one lane off the piece
            }
            agree("erf", v, v, (a, b) -> VectorMath.erf(a), (a, b) -> ScalarMath.erf(a), true);
            agree("tanh", v, v, (a, b) -> VectorMath.tanh(a), (a, b) -> ScalarMath.tanh(a), false);
        }
        float[] wide = values(20000, 20000);
        agree("tanh", wide, wide, (a, b) -> VectorMath.tanh(a), (a, b) -> ScalarMath.tanh(a), false);
    }

    @Test
    void oneHotLanesAreTheScalarComparison() {
        int[] around = {0, 1, 7, 8, 9, 15, 16, 100, -1, -7, -8, -9, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 3, Integer.MIN_VALUE + 5};
        for (int first : around) {
            for (int label : around) {
                for (int delta = -10; delta <= 10; delta++) {
                    int l = label + delta; // wraps at the extremes: any int is a possible label
                    float[] got = VectorMath.oneHot(l, first).toArray();
                    for (int lane = 0; lane < 8; lane++) {
                        float want = (long) l == (long) first + lane ? 1f : 0f;
                        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[lane]),
                                "oneHot(" + l + ", " + first + ") lane " + lane);
                    }
                }
            }
        }
    }
}

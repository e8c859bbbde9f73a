package nnc.emit;

import java.util.Optional;
import nnc.kir.KExpr;

/**
 * The lane form of a division by a constant power of two: {@code x / 2ᵏ} and {@code x · 2⁻ᵏ} are
 * the correctly rounded values of the same real number, so they are the same float for every x
 * (±0, ±∞, NaN and subnormal results included) as long as both 2ᵏ and 2⁻ᵏ are normal floats. A
 * vector division costs about ten times a multiplication on AVX2 and C2 does not make this
 * substitution in vector code (it does in scalar code), so the vector emitters multiply instead:
 * attention's scale {@code scores / 4} in the softmax kernels of the encoder block. The scalar
 * twins keep the division, which gives the same bits.
 */
public final class ExactReciprocal {
    private ExactReciprocal() {}

    /** 1/d when {@code divisor} is a constant d = ±2ᵏ with 2ᵏ and 2⁻ᵏ normal floats; else empty. */
    public static Optional<Float> of(KExpr divisor) {
        return divisor instanceof KExpr.Const c ? of(c.value()) : Optional.empty();
    }

    /** 1/d when d = ±2ᵏ with 2ᵏ and 2⁻ᵏ normal floats (|k| ≤ 126); else empty. */
    static Optional<Float> of(float d) {
        int bits = Float.floatToRawIntBits(d);
        int exponent = (bits >>> 23) & 0xff;
        boolean powerOfTwo = (bits & 0x007fffff) == 0 && exponent >= 1 && exponent <= 253; // biased 1..253: k = −126..126
        return powerOfTwo ? Optional.of(1f / d) : Optional.empty();
    }
}

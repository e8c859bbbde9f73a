package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.SplittableRandom;
import nnc.kir.KExpr;
import org.junit.jupiter.api.Test;

/**
 * {@link ExactReciprocal} offers 1/d exactly for the divisors where multiplying by it gives every
 * quotient's bits: checked against Java's own division over every class of float for each of them.
 */
class ExactReciprocalTest {
    @Test
    void offersPowersOfTwoWithNormalReciprocalsOnly() {
        assertEquals(Optional.of(0.25f), ExactReciprocal.of(new KExpr.Const(4f)));
        assertEquals(Optional.of(-8f), ExactReciprocal.of(new KExpr.Const(-0.125f)));
        assertEquals(Optional.of(0x1p-126f), ExactReciprocal.of(new KExpr.Const(0x1p126f)));
        assertEquals(Optional.of(0x1p126f), ExactReciprocal.of(new KExpr.Const(0x1p-126f)));
        assertEquals(Optional.of(1f), ExactReciprocal.of(new KExpr.Const(1f)));
        for (float d : new float[] {3f, 0.75f, 0x1p127f, 0x1p-127f, Float.MIN_VALUE, 0f, -0f, Float.POSITIVE_INFINITY, Float.NaN, 1.0000001f})
            assertEquals(Optional.empty(), ExactReciprocal.of(new KExpr.Const(d)), "divisor " + d);
        assertEquals(Optional.empty(), ExactReciprocal.of(new KExpr.DimSize("batch")), "not a constant");
    }

    @Test
    void multiplyingByTheReciprocalGivesTheQuotientBits() {
        SplittableRandom r = new SplittableRandom(5);
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, 3f, 0x1.fffffep-100f};
        int divisors = 0;
        for (int k = -130; k <= 130; k++) {
            for (float d : new float[] {Math.scalb(1f, k), -Math.scalb(1f, k)}) {
                Optional<Float> reciprocal = ExactReciprocal.of(new KExpr.Const(d));
                if (reciprocal.isEmpty()) continue;
                divisors++;
                for (int i = 0; i < 4000 + special.length; i++) {
                    float x = i < special.length ? special[i] : Float.intBitsToFloat(r.nextInt());
                    float quotient = x / d, product = x * reciprocal.get();
                    if (Float.isNaN(quotient) && Float.isNaN(product)) continue;
                    assertEquals(Float.floatToRawIntBits(quotient), Float.floatToRawIntBits(product), x + " / " + d);
                }
            }
        }
        assertEquals(2 * 253, divisors, "±2^k for k = -126..126");
    }
}

package nnc.runtime.kernels;

import static nnc.runtime.kernels.ScalarMath.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lanewise twins of {@link ScalarMath}'s transcendental functions: each lane goes through
 * exactly the operations of the scalar method (both sides of a branch are computed and blended),
 * or, where a method says so, through cheaper ones that give the same result for every input, so
 * a vector loop gives the same bits as its scalar tail. Vectors are of {@link #SPECIES}, fixed at
 * 256 bits so results do not depend on the machine. Generated SIMD code calls these.
 */
public final class VectorMath {
    /** The species of every generated and runtime vector loop: 8 float lanes. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

    static { InliningHint.await(); } // inlined into their callers before any vector loop runs (see InliningHint)

    private VectorMath() {}

    /*
     * These methods call one another only through the handles of LaneCalls, never directly: C2 refuses
     * a direct call to one of them once the compilation has passed its node limit, wherever the call
     * stands (see there). A refused call runs out of line, its vectors boxed, on every iteration.
     */

    /**
     * {@link ScalarMath#exp} per lane. Two of the scalar steps take a cheaper lane form with the same
     * result: the clamp to [{@code EXP_MIN}, {@code EXP_MAX}] is a compare and a blend per bound (a lane
     * {@code min}/{@code max} keeps Java's NaN and ±0 rules, which cost C2 five instructions each on
     * AVX2; no zero ties with these bounds, and a NaN fails both compares and stays NaN, as in
     * {@code Math.min}/{@code max}), and k = (int) n is read from the bits of n + {@code ROUNDER}
     * (an integer of magnitude below 2²² added to 1.5·2²³ lands in its low mantissa bits, so the
     * difference of the bit patterns is n exactly) instead of a float-to-int conversion, whose
     * Java rules for NaN and overflow cost a fix-up. For a NaN argument k is then arbitrary, but the
     * result is p's NaN times two powers of two (or ±∞, or 0): still that NaN. Measured (131,072
     * Gaussian floats, both forms alternating in one JVM on a loaded machine): gelu's backward loop,
     * which is mostly this exp, 1.45 → 1.17 ns per element.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.blend(EXP_MIN, x.compare(VectorOperators.LT, EXP_MIN));
        xc = xc.blend(EXP_MAX, xc.compare(VectorOperators.GT, EXP_MAX));
        FloatVector shifted = xc.fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
        FloatVector p = r.fma(EXP_P0, EXP_P1);
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P2));
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P3));
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P4));
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector k = shifted.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** The bits of {@code ROUNDER}: {@code bits(ROUNDER + n) − ROUNDER_BITS = n} for every integer |n| &lt; 2²². */
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    /** {@link ScalarMath#log} per lane. */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_25), tiny);
        FloatVector kAdjust = FloatVector.zero(SPECIES).blend(-25f, tiny);
        IntVector ix = xs.reinterpretAsInts().add(0x3f800000 - SQRT_HALF_BITS);
        FloatVector dk = ((FloatVector) ix.lanewise(VectorOperators.ASHR, 23).sub(0x7f).convert(VectorOperators.I2F, 0)).add(kAdjust);
        FloatVector f = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector w = z.mul(z);
        FloatVector t1 = w.mul(w.mul(LG4).add(LG2));
        FloatVector t2 = z.mul(w.mul(LG3).add(LG1));
        FloatVector rr = t2.add(t1);
        FloatVector hfsq = f.mul(0.5f).mul(f);
        FloatVector y = s.mul(hfsq.add(rr)).add(dk.mul(LOG_LN2_LO)).sub(hfsq).add(f).add(dk.mul(LOG_LN2_HI));
        y = y.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        y = y.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return y.blend(x, x.compare(VectorOperators.NE, x).or(x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)));
    }

    /**
     * {@link ScalarMath#tanh} per lane. When no lane is above {@code TANH_SMALL}, only the polynomial is
     * computed (the scalar form's branch for all eight lanes; NaN takes the polynomial in both): the
     * same bits without the exponential and the division. One exit, as in {@link #erf}.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(TANH_P0, TANH_P1);
        p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P2));
        p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P3));
        p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P4));
        FloatVector small = p.mul(z).fma(x, x).blend(x, x.compare(VectorOperators.EQ, 0f));
        VectorMask<Float> large = ax.compare(VectorOperators.GT, TANH_SMALL);
        FloatVector r = small;
        if (large.anyTrue()) { // else every lane takes the polynomial (NaN too): the exponential is not needed
            FloatVector e;
            try {
                e = (FloatVector) LaneCalls.exp.invokeExact(ax.add(ax));
            } catch (Throwable t) {
                throw LaneCalls.rethrow(t);
            }
            FloatVector big = FloatVector.broadcast(SPECIES, 1f).sub(FloatVector.broadcast(SPECIES, 2f).div(e.add(1f)));
            big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
            r = small.blend(big, large);
        }
        return r;
    }

    /** {@link ScalarMath#sigmoid} per lane. */
    public static FloatVector sigmoid(FloatVector x) {
        try {
            return FloatVector.broadcast(SPECIES, 1f).div(((FloatVector) LaneCalls.exp.invokeExact(x.neg())).add(1f));
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    /** {@link ScalarMath#flushSubnormal} per lane. */
    public static FloatVector flushSubnormal(FloatVector x) {
        return x.blend(0f, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
    }

    /** {@link ScalarMath#silu} per lane. */
    public static FloatVector silu(FloatVector x) {
        try {
            return x.mul((FloatVector) LaneCalls.sigmoid.invokeExact(x));
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    /** {@link ScalarMath#softplus} per lane. */
    public static FloatVector softplus(FloatVector x) {
        try {
            FloatVector u = (FloatVector) LaneCalls.exp.invokeExact(x.abs().neg());
            FloatVector w = u.add(1f);
            FloatVector l = ((FloatVector) LaneCalls.log.invokeExact(w)).mul(u.div(w.sub(1f))).blend(u, w.compare(VectorOperators.EQ, 1f));
            return x.max(0f).add(l);
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    /**
     * {@code cond != 0f ? a : b} per lane (NaN conditions choose {@code a}, ±0 choose {@code b}), the
     * lane form of {@code KExpr.Select}: both branches are computed (they are pure), the lane's own
     * value of the chosen one is taken unchanged.
     */
    public static FloatVector select(FloatVector cond, FloatVector a, FloatVector b) {
        return a.blend(b, cond.compare(VectorOperators.EQ, 0f));
    }

    /**
     * {@code label == first + lane ? 1f : 0f} per lane, the lane form of {@code KExpr.OneHot} along the
     * vector axis (a loss's one-hot target row from its class index): eight floats read from
     * {@link #ONE_HOT_ROW} at an offset chosen by how far the label lies from the first lane. A label
     * outside the eight lanes (another block of classes, or a negative one) gives zeros. 25 bytes of
     * bytecode, under {@code MaxInlineSize} (35): C2 inlines it even from a call site its profile
     * calls cold, so its vector does not become an object there.
     */
    public static FloatVector oneHot(int label, int first) {
        return FloatVector.fromArray(SPECIES, ONE_HOT_ROW, 8 - Math.clamp((long) label - first, -8, 8)); // long: no overflow
    }

    /** A 1 at index 8 between zeros: lanes {@code 8 − d … 15 − d} of it are the one-hot of lane d. */
    private static final float[] ONE_HOT_ROW = new float[24];

    static { ONE_HOT_ROW[8] = 1f; }

    /**
     * {@link ScalarMath#hashUniform} per lane: the 64-bit SplitMix64 finaliser in two {@code LongVector}
     * halves of 4 lanes (lanes 0–3 and 4–7), then back to 8 float lanes.
     */
    public static FloatVector hashUniform(FloatVector x, FloatVector salt) {
        IntVector xi = x.reinterpretAsInts();
        IntVector si = salt.reinterpretAsInts();
        try {
            FloatVector lo = ((LongVector) LaneCalls.hashHalf.invokeExact(xi, si, 0)).convert(VectorOperators.L2F, 0).reinterpretAsFloats();
            FloatVector hi = ((LongVector) LaneCalls.hashHalf.invokeExact(xi, si, 1)).convert(VectorOperators.L2F, -1).reinterpretAsFloats();
            return lo.add(hi).mul(0x1.0p-24f);
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    /** {@code z >>> 40} of lanes {@code 4·part … 4·part+3}. */
    static LongVector hashHalf(IntVector x, IntVector salt, int part) {
        LongVector xl = ((LongVector) x.convert(VectorOperators.I2L, part)).and(0xffffffffL);
        LongVector sl = ((LongVector) salt.convert(VectorOperators.I2L, part)).lanewise(VectorOperators.LSHL, 32);
        LongVector z = xl.or(sl).add(0x9e3779b97f4a7c15L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
        return z.lanewise(VectorOperators.LSHR, 40);
    }

    /**
     * {@link ScalarMath#erf} per lane: its pieces (the odd polynomial; erfc's two polynomials) are
     * computed and blended. As in {@link #exp}, the clamp of |x| to {@code ERF_CLAMP} is a compare and a
     * blend (|x| is never −0, and NaN stays NaN; erfc's lanes below 1 are computed and not taken, and
     * c − 1.5 is exact wherever it is taken). When every lane is below {@code ERF_SPLIT} (as the scalar
     * form's branch, but for all eight lanes; a NaN lane is not) only the polynomial is computed: the
     * same bits, for a fifth of the work. GELU's inputs are such vectors where a layer's pre-activations
     * are small (N(0, 0.5²): ~89 % of the vectors); the encoder benchmark's are wider, and there most
     * vectors still need both pieces. One exit on purpose: with an early return of the first piece, C2 ran out
     * of its node budget for the caller before inlining {@link #exp} into the second (PrintInlining:
     * NodeCountInliningCutoff), which then boxed every vector (VectorMathInliningTest; the second
     * piece no longer calls exp, but a kernel may hold several functions). Measured (GELU
     * as x·0.5·(1 + erf(x/√2)) over 131,072 floats, one core, best of 15 rounds): N(0, 0.5²) inputs
     * 1.96 → 0.64 ns per element, N(0, 2²) 1.96 → 1.84 with the skip (and the former second piece).
     */
    public static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector u = a.mul(a);
        FloatVector p = u.fma(FloatVector.broadcast(SPECIES, ERF_A7), FloatVector.broadcast(SPECIES, ERF_A6));
        p = p.fma(u, FloatVector.broadcast(SPECIES, ERF_A5));
        p = p.fma(u, FloatVector.broadcast(SPECIES, ERF_A4));
        p = p.fma(u, FloatVector.broadcast(SPECIES, ERF_A3));
        p = p.fma(u, FloatVector.broadcast(SPECIES, ERF_A2));
        p = p.fma(u, FloatVector.broadcast(SPECIES, ERF_A1));
        FloatVector small = a.fma(FloatVector.broadcast(SPECIES, ERF_TWO_OVER_SQRT_PI_HI), a.mul(p.fma(u, FloatVector.broadcast(SPECIES, ERF_TWO_OVER_SQRT_PI_LO))));
        VectorMask<Float> isSmall = a.compare(VectorOperators.LT, ERF_SPLIT);
        FloatVector r = small;
        if (!isSmall.allTrue()) { // else erfc's two polynomials are not needed
            FloatVector c = a.blend(ERF_CLAMP, a.compare(VectorOperators.GT, ERF_CLAMP));
            FloatVector t = c.sub(1.5f), u2 = c.sub(3f); // both pieces, blended: ScalarMath.erfcNear / erfcFar
            FloatVector p1 = t.fma(FloatVector.broadcast(SPECIES, ERF_N9), FloatVector.broadcast(SPECIES, ERF_N8));
            p1 = p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N7));
            p1 = p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N6));
            p1 = p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N5));
            p1 = p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N4));
            p1 = p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N3));
            p1 = p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N2));
            p1 = p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N1));
            FloatVector p2 = u2.fma(FloatVector.broadcast(SPECIES, ERF_F11), FloatVector.broadcast(SPECIES, ERF_F10));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F9));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F8));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F7));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F6));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F5));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F4));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F3));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F2));
            p2 = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F1));
            FloatVector q = p2.fma(u2, FloatVector.broadcast(SPECIES, ERF_F0)).blend(p1.fma(t, FloatVector.broadcast(SPECIES, ERF_N0)), c.compare(VectorOperators.LT, ERF_MID));
            FloatVector large = FloatVector.broadcast(SPECIES, 1f).sub(q);
            r = large.blend(small, isSmall);
        }
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        return r.reinterpretAsInts().and(0x7fffffff).or(sign).reinterpretAsFloats();
    }

    /** Doubles of 256 bits: one half (4 lanes) of a float vector, for the functions computed in double. */
    private static final VectorSpecies<Double> HALF = DoubleVector.SPECIES_256;
    /** Lanes 4–7 of a float vector. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(SPECIES, 0xF0);

    /*
     * The functions computed in double take each half of the vector through a handle, piece(x, part):
     * lanes 4·part … 4·part+3 of x converted to double (exact), the function, the result rounded to
     * float and put in the same lanes of a float vector (D2F's part −part: 0 → lanes 0–3, −1 → 4–7);
     * the caller blends the two by UPPER.
     */

    /** {@link ScalarMath#sin} per lane. */
    public static FloatVector sin(FloatVector x) {
        try {
            FloatVector lo = (FloatVector) LaneCalls.trigHalf.invokeExact(x, 0, 0), hi = (FloatVector) LaneCalls.trigHalf.invokeExact(x, 1, 0);
            FloatVector r = lo.blend(hi, UPPER).blend(x, x.compare(VectorOperators.EQ, 0f));
            return (FloatVector) LaneCalls.trigBeyond.invokeExact(x, r, 0);
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    /** {@link ScalarMath#cos} per lane. */
    public static FloatVector cos(FloatVector x) {
        try {
            FloatVector lo = (FloatVector) LaneCalls.trigHalf.invokeExact(x, 0, 1), hi = (FloatVector) LaneCalls.trigHalf.invokeExact(x, 1, 1);
            return (FloatVector) LaneCalls.trigBeyond.invokeExact(x, lo.blend(hi, UPPER), 1);
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    /**
     * The integer n of {@code shifted = n + TOINT} (|n| &lt; 2⁵¹, so n sits in the low mantissa bits): the
     * difference of the bit patterns, as {@code (long) (shifted − TOINT)} would give it. A double-to-long
     * conversion (and long-to-double) has no AVX2 instruction: C2 leaves it to the Vector API's Java
     * fallback, which allocates on every call. Measured on a model of one 64-unit sin layer (batch 16,
     * directive mode): 204,800 → 90,112 bytes per warm step (the rest was C2's node limit: see
     * {@link LaneCalls}). For NaN the low twelve bits are 0, as those
     * of {@code (long) NaN = 0}, which is all the callers use (n's two low bits pick the quadrant; n ≪ 52
     * keeps twelve); ±∞ differs from {@code (long) ±∞} and is left to {@link #trigBeyond} (expm1 clamps it).
     * Written out where used ({@code shifted.reinterpretAsLongs().sub(TOINT_BITS)}), not a method: see the note at the top.
     */
    private static final long TOINT_BITS = Double.doubleToRawLongBits(TOINT);

    /** A half of sin(x) (quadrant 0) or cos(x) (quadrant 1), as described above {@link #sin}. */
    static FloatVector trigHalf(FloatVector xf, int part, int quadrant) {
        DoubleVector x = (DoubleVector) xf.convert(VectorOperators.F2D, part);
        DoubleVector shifted = x.mul(INV_PIO2).add(TOINT), fn = shifted.sub(TOINT);
        LongVector n = shifted.reinterpretAsLongs().sub(TOINT_BITS).add(quadrant);
        DoubleVector y = x.sub(fn.mul(PIO2_1)).sub(fn.mul(PIO2_1T));
        DoubleVector z = y.mul(y), w = z.mul(z);
        DoubleVector s = z.mul(y);
        DoubleVector sin = y.add(s.mul(z.mul(SIN_S2).add(SIN_S1))).add(s.mul(w).mul(z.mul(SIN_S4).add(SIN_S3)));
        DoubleVector cos = z.mul(COS_C0).add(1.0).add(w.mul(COS_C1)).add(w.mul(z).mul(z.mul(COS_C3).add(COS_C2)));
        DoubleVector r = sin.blend(cos, n.and(1L).compare(VectorOperators.NE, 0L).cast(HALF));
        return (FloatVector) r.blend(r.neg(), n.and(2L).compare(VectorOperators.NE, 0L).cast(HALF)).convert(VectorOperators.D2F, -part);
    }

    /**
     * Lanes of magnitude from {@link ScalarMath#TRIG_MAX} take the scalar function's value (StrictMath's, or
     * for ±∞ the NaN of the scalar reduction: the quadrant bits of {@code (long) ±∞}, which
     * the bits of {@code shifted} do not give); rare, and allocates.
     */
    static FloatVector trigBeyond(FloatVector x, FloatVector r, int quadrant) {
        VectorMask<Float> big = x.abs().compare(VectorOperators.GE, TRIG_MAX);
        if (!big.anyTrue()) return r;
        float[] out = r.toArray();
        for (int i = 0; i < out.length; i++)
            if (big.laneIsSet(i)) out[i] = quadrant == 0 ? ScalarMath.sin(x.lane(i)) : ScalarMath.cos(x.lane(i));
        return FloatVector.fromArray(SPECIES, out, 0);
    }

    /** {@link ScalarMath#expm1} per lane. */
    public static FloatVector expm1(FloatVector x) {
        FloatVector xc = x.max(EXPM1_MIN).min(EXPM1_MAX);
        try {
            FloatVector lo = (FloatVector) LaneCalls.expm1Half.invokeExact(xc, 0), hi = (FloatVector) LaneCalls.expm1Half.invokeExact(xc, 1);
            return lo.blend(hi, UPPER).blend(x, x.compare(VectorOperators.EQ, 0f));
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    /** A half of expm1(xc), as described above {@link #sin}. */
    static FloatVector expm1Half(FloatVector xc, int part) {
        DoubleVector x = (DoubleVector) xc.convert(VectorOperators.F2D, part);
        DoubleVector shifted = x.mul(LOG2E_D).add(TOINT), fn = shifted.sub(TOINT);
        DoubleVector r = x.sub(fn.mul(LN2_HI_D)).sub(fn.mul(LN2_LO_D));
        DoubleVector p = DoubleVector.broadcast(HALF, EXPM1_TAYLOR[10]);
        for (int i = 9; i >= 0; i--) p = r.mul(p).add(EXPM1_TAYLOR[i]); // r·p, not p·r: r's class is known where C2 parses the loop (VectorKernelSource.reduce)
        p = r.add(r.mul(r).mul(p));
        DoubleVector scale = shifted.reinterpretAsLongs().sub(TOINT_BITS).add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return (FloatVector) scale.mul(p).add(scale.sub(1.0)).convert(VectorOperators.D2F, -part);
    }

    /** {@link ScalarMath#log1p} per lane. */
    public static FloatVector log1p(FloatVector x) {
        FloatVector r;
        try {
            FloatVector lo = (FloatVector) LaneCalls.log1pHalf.invokeExact(x, 0), hi = (FloatVector) LaneCalls.log1pHalf.invokeExact(x, 1);
            r = lo.blend(hi, UPPER);
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
        r = r.blend(x, x.abs().compare(VectorOperators.LT, (float) LOG1P_TINY));
        r = r.blend(Float.NaN, x.compare(VectorOperators.LT, -1f));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, -1f));
        return r.blend(x, x.compare(VectorOperators.NE, x).or(x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)));
    }

    /** A half of log1p(x), as described above {@link #sin}. */
    static FloatVector log1pHalf(FloatVector xf, int part) {
        DoubleVector x = (DoubleVector) xf.convert(VectorOperators.F2D, part);
        DoubleVector u = x.add(1.0);
        LongVector bits = u.reinterpretAsLongs().add(0x3ff0000000000000L - SQRT_HALF_BITS_D);
        DoubleVector k = bits.lanewise(VectorOperators.ASHR, 52).sub(0x3ffL).add(TOINT_BITS).reinterpretAsDoubles().sub(TOINT); // exact: |k| < 2¹²
        DoubleVector f = bits.and(0x000fffffffffffffL).add(SQRT_HALF_BITS_D).reinterpretAsDoubles().sub(1.0);
        DoubleVector s = f.div(f.add(2.0)), z = s.mul(s), w = z.mul(z);
        DoubleVector t1 = w.mul(w.mul(w.mul(LG6_D).add(LG4_D)).add(LG2_D));
        DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(LG7_D).add(LG5_D)).add(LG3_D)).add(LG1_D));
        DoubleVector hfsq = f.mul(0.5).mul(f);
        return (FloatVector) k.mul(LN2_HI_D).sub(hfsq.sub(s.mul(hfsq.add(t2.add(t1))).add(k.mul(LN2_LO_D))).sub(f)).convert(VectorOperators.D2F, -part);
    }

    /** {@link ScalarMath#sign} per lane: ±1, ±0 and NaN kept. */
    public static FloatVector sign(FloatVector x) {
        return x.blend(1f, x.compare(VectorOperators.GT, 0f)).blend(-1f, x.compare(VectorOperators.LT, 0f));
    }
}

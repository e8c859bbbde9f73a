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
 * so a vector loop gives the same bits as its scalar tail. Vectors are of {@link #SPECIES}, fixed at
 * 256 bits so results do not depend on the machine. Generated SIMD code calls these.
 */
public final class VectorMath {
    /** The species of every generated and runtime vector loop: 8 float lanes. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

    private VectorMath() {}

    /** {@link ScalarMath#exp} per lane. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector n = xc.fma(LOG2E, ROUNDER).sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
        FloatVector p = r.fma(EXP_P0, EXP_P1);
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P2));
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P3));
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P4));
        p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

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

    /** {@link ScalarMath#tanh} per lane. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector e = exp(ax.add(ax));
        FloatVector big = FloatVector.broadcast(SPECIES, 1f).sub(FloatVector.broadcast(SPECIES, 2f).div(e.add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(TANH_P0, TANH_P1);
        p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P2));
        p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P3));
        p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P4));
        FloatVector small = p.mul(z).fma(x, x).blend(x, x.compare(VectorOperators.EQ, 0f));
        return small.blend(big, ax.compare(VectorOperators.GT, TANH_SMALL));
    }

    /** {@link ScalarMath#sigmoid} per lane. */
    public static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(SPECIES, 1f).div(exp(x.neg()).add(1f));
    }

    /** {@link ScalarMath#softplus} per lane. */
    public static FloatVector softplus(FloatVector x) {
        FloatVector u = exp(x.abs().neg());
        FloatVector w = u.add(1f);
        FloatVector l = log(w).mul(u.div(w.sub(1f))).blend(u, w.compare(VectorOperators.EQ, 1f));
        return x.max(0f).add(l);
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
     * {@link ScalarMath#hashUniform} per lane: the 64-bit SplitMix64 finaliser in two {@code LongVector}
     * halves of 4 lanes (lanes 0–3 and 4–7), then back to 8 float lanes.
     */
    public static FloatVector hashUniform(FloatVector x, FloatVector salt) {
        IntVector xi = x.reinterpretAsInts();
        IntVector si = salt.reinterpretAsInts();
        FloatVector lo = hashHalf(xi, si, 0).convert(VectorOperators.L2F, 0).reinterpretAsFloats();
        FloatVector hi = hashHalf(xi, si, 1).convert(VectorOperators.L2F, -1).reinterpretAsFloats();
        return lo.add(hi).mul(0x1.0p-24f);
    }

    /** {@code z >>> 40} of lanes {@code 4·part … 4·part+3}. */
    private static LongVector hashHalf(IntVector x, IntVector salt, int part) {
        LongVector xl = ((LongVector) x.convert(VectorOperators.I2L, part)).and(0xffffffffL);
        LongVector sl = ((LongVector) salt.convert(VectorOperators.I2L, part)).lanewise(VectorOperators.LSHL, 32);
        LongVector z = xl.or(sl).add(0x9e3779b97f4a7c15L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
        return z.lanewise(VectorOperators.LSHR, 40);
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(SPECIES, 0xf0L);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SQRT_PI = Math.sqrt(Math.PI);

    /**
     * {@link ScalarMath#erf} per lane: the 8 float lanes as two halves of 4 doubles going through the
     * operations of {@link ScalarMath#erf(double)} (the series with each lane's own stopping point kept
     * by masked updates, the continued fraction, and {@code StrictMath.exp} as {@link #fdlibmExp}),
     * each rounded back to float. A branch no lane needs is skipped.
     */
    public static FloatVector erf(FloatVector x) {
        FloatVector lo = (FloatVector) erf((DoubleVector) x.convert(VectorOperators.F2D, 0)).convert(VectorOperators.D2F, 0);
        FloatVector hi = (FloatVector) erf((DoubleVector) x.convert(VectorOperators.F2D, 1)).convert(VectorOperators.D2F, -1);
        return lo.blend(hi, UPPER_HALF);
    }

    /** {@link ScalarMath#erf(double)} on 4 double lanes. */
    static DoubleVector erf(DoubleVector x) {
        DoubleVector a = x.abs();
        VectorMask<Double> series = a.compare(VectorOperators.LT, 3.0);
        VectorMask<Double> fraction = a.compare(VectorOperators.GE, 3.0).and(a.compare(VectorOperators.LT, 6.0));
        DoubleVector r = DoubleVector.broadcast(D, 1.0);
        if (series.or(fraction).anyTrue()) {
            // lanes of |x| >= 6 (and NaN) take no exp in the scalar code: their argument is clamped, their result discarded
            DoubleVector e = fdlibmExp(a.neg().mul(a).max(-40.0));
            if (series.anyTrue()) {
                DoubleVector twoX2 = a.mul(2.0).mul(a), term = a, sum = a;
                VectorMask<Double> active = series.and(term.compare(VectorOperators.GT, sum.mul(1e-17)));
                for (int n = 1; n < 200 && active.anyTrue(); n++) {
                    term = term.blend(term.mul(twoX2.div(2 * n + 1)), active);
                    sum = sum.blend(sum.add(term), active);
                    active = active.and(term.compare(VectorOperators.GT, sum.mul(1e-17)));
                }
                r = r.blend(e.mul(TWO_OVER_SQRT_PI).mul(sum), series);
            }
            if (fraction.anyTrue()) {
                DoubleVector f = a;
                for (int k = 60; k >= 1; k--) f = a.add(DoubleVector.broadcast(D, k / 2.0).div(f));
                r = r.blend(DoubleVector.broadcast(D, 1.0).sub(e.div(SQRT_PI).div(f)), fraction);
            }
        }
        r = r.blend(r.neg(), x.compare(VectorOperators.LT, 0.0));
        return r.blend(x, x.compare(VectorOperators.NE, x));
    }

    // StrictMath.exp's constants (fdlibm's e_exp.c), for arguments ≤ 0
    private static final double LN2_HI0 = 6.93147180369123816490e-01, LN2_LO0 = 1.90821492927058770002e-10;
    private static final double INV_LN2 = 1.44269504088896338700e+00;
    private static final double MAGIC = 0x1.8p52;
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);
    private static final double FP1 = 1.66666666666666019037e-01, FP2 = -2.77777777770155933842e-03,
            FP3 = 6.61375632143793436117e-05, FP4 = -1.65339022054652515390e-06, FP5 = 4.13813679705723846039e-08;

    /**
     * {@code StrictMath.exp} (fdlibm's algorithm, which it is specified to reproduce) per lane, for
     * arguments in [-709, 0] (−0 included): the same reduction, branches on the high word and
     * rational approximation, so the same bits.
     */
    static DoubleVector fdlibmExp(DoubleVector x) {
        LongVector hx = x.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).and(0x7fffffffL);
        VectorMask<Double> big = hx.compare(VectorOperators.GT, 0x3fd62e42L).cast(D);        // |x| > ln2/2
        VectorMask<Double> mid = big.and(hx.compare(VectorOperators.LT, 0x3ff0a2b2L).cast(D)); // and < 1.5 ln2
        VectorMask<Double> tiny = hx.compare(VectorOperators.LT, 0x3e300000L).cast(D);       // |x| < 2^-28
        // x < 0: k = (int) (x / ln2 - 0.5), t = k, hi = x - t·ln2hi, lo = t·ln2lo; between ln2/2 and 1.5 ln2, k = -1.
        // (int) of the negative y is ceil(y): rounded through 1.5·2⁵², then raised by 1 where that went below
        // y (AVX2 has no double↔long conversion; C2 would fall back to scalar Java for one)
        DoubleVector y = x.mul(INV_LN2).add(-0.5);
        DoubleVector rounded = y.add(MAGIC).sub(MAGIC);
        DoubleVector t = rounded.add(DoubleVector.zero(D).blend(1.0, rounded.compare(VectorOperators.LT, y)));
        // t + 1.5·2⁵² holds k in its low bits
        LongVector kFar = t.add(MAGIC).reinterpretAsLongs().sub(MAGIC_BITS);
        LongVector k = kFar.blend(-1L, mid.cast(LongVector.SPECIES_256));
        DoubleVector hi = x.sub(t.mul(LN2_HI0)).blend(x.sub(-LN2_HI0), mid);
        DoubleVector lo = t.mul(LN2_LO0).blend(DoubleVector.broadcast(D, -LN2_LO0), mid);
        DoubleVector xr = x.blend(hi.sub(lo), big);
        DoubleVector tt = xr.mul(xr);
        DoubleVector p = tt.mul(FP5).add(FP4);
        p = tt.mul(p).add(FP3);
        p = tt.mul(p).add(FP2);
        p = tt.mul(p).add(FP1);
        DoubleVector c = xr.sub(tt.mul(p));
        DoubleVector xc = xr.mul(c);
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        DoubleVector small = one.sub(xc.div(c.sub(2.0)).sub(xr));
        DoubleVector twopk = k.add(0x3ffL).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector reduced = one.sub(lo.sub(xc.div(DoubleVector.broadcast(D, 2.0).sub(c))).sub(hi)).mul(twopk);
        return small.blend(reduced, big).blend(one.add(x), tiny);
    }
}

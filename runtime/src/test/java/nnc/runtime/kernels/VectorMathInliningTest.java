package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The largest {@link VectorMath} functions, inlined into a loop as a generated kernel inlines them (the
 * {@link InliningHint} directive this class asks for, as a trainer does), compile to code that
 * allocates nothing: a function C2 does not inline all the way (too large, or past its node budget
 * for the caller) runs in the Vector API's allocating fallback and boxes every vector. erf's and
 * tanh's lane forms skip their second piece when no lane needs it; written with an early return,
 * erf put {@code exp} past C2's node budget (PrintInlining: NodeCountInliningCutoff) and this test
 * saw 3.3 GB allocated. Inputs of both kinds: mostly one piece (N(0, 0.5²)) and mixed (N(0, 2²)).
 * And loops that call them through {@link LaneCalls}' handles, as the generated kernels do: erf then
 * exp (GELU's backward), whose direct calls passed C2's node limit for the loop (131 MB per 2,000 calls
 * in a throwaway loop), and sin, expm1 and log1p, computed in double halves, which allocated even
 * alone in a loop while their halves were direct calls.
 */
class VectorMathInliningTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int N = 4096;

    static void gelu(float[] x, float[] y) {
        for (int i = 0; i < N; i += 8) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMath.erf(v.mul(0.70710677f)).add(1f).mul(v.mul(0.5f)).intoArray(y, i);
        }
    }

    static void tanh(float[] x, float[] y) {
        for (int i = 0; i < N; i += 8) VectorMath.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
    }

    /** x·Φ'(x) + Φ(x) as GELU's backward computes it: erf, then exp, in one loop. */
    static void geluBackward(float[] x, float[] y) {
        try {
            for (int i = 0; i < N; i += 8) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector cdf = ((FloatVector) LaneCalls.erf.invokeExact(v.mul(0.70710677f))).add(1f).mul(0.5f);
                FloatVector pdf = ((FloatVector) LaneCalls.exp.invokeExact(v.mul(v).mul(-0.5f))).mul(0.3989423f);
                cdf.add(v.mul(pdf)).intoArray(y, i);
            }
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    static void halves(float[] x, float[] y) {
        try {
            for (int i = 0; i < N; i += 8) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector s = (FloatVector) LaneCalls.sin.invokeExact(v), e = (FloatVector) LaneCalls.expm1.invokeExact(v);
                s.add(e).add((FloatVector) LaneCalls.log1p.invokeExact(v.abs())).intoArray(y, i);
            }
        } catch (Throwable t) {
            throw LaneCalls.rethrow(t);
        }
    }

    interface Loop { void run(float[] x, float[] y); }

    @Test
    void laneFunctionLoopsAllocateNothingOnceCompiled() {
        assumeTrue(VectorSupport.AVAILABLE, "the vector kernels need jdk.incubator.vector");
        InliningHint.enable();
        InliningHint.cover(VectorMathInliningTest.class);
        InliningHint.await();
        for (double scale : new double[] {0.5, 2}) {
            float[] x = new float[N], y = new float[N];
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < N; i++) x[i] = (float) (r.nextGaussian() * scale);
            check("gelu", VectorMathInliningTest::gelu, x, y, scale);
            check("tanh", VectorMathInliningTest::tanh, x, y, scale);
            check("gelu's backward", VectorMathInliningTest::geluBackward, x, y, scale);
            check("sin + expm1 + log1p", VectorMathInliningTest::halves, x, y, scale);
        }
    }

    /** Runs the loop until it is compiled, then asks that one round of 500 calls allocates (almost) nothing. */
    private static void check(String what, Loop loop, float[] x, float[] y, double scale) {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int i = 0; i < 5000; i++) loop.run(x, y);
        StringBuilder seen = new StringBuilder();
        long bytes = Long.MAX_VALUE;
        for (int round = 0; round < 20 && bytes >= 4_000; round++) { // on a busy machine C2 may still be compiling
            long before = bean.getThreadAllocatedBytes(id);
            for (int i = 0; i < 500; i++) loop.run(x, y);
            bytes = bean.getThreadAllocatedBytes(id) - before;
            seen.append(bytes).append(' ');
        }
        assertTrue(bytes < 4_000, what + " over N(0, " + scale + "²): bytes per round of 500 calls: " + seen);
    }
}

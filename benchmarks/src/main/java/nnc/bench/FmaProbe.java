package nnc.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FMA throughput this JVM reaches on one core: 12 independent 256-bit FMA chains (enough to
 * cover FMA latency × issue width on AVX2 cores), {@link #STEPS} steps per call. The peak GEMM speed
 * is compared with (JMH's {@code FmaPeakBenchmark}, {@code GemmSpeed}); not used by kernels.
 */
public final class FmaProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    public static final int STEPS = 10_000;
    public static final int CHAINS = 12;
    /** FLOP of one {@link #chains} call: steps × chains × 8 lanes × 2 FLOP per FMA. */
    public static final long FLOPS_PER_CALL = (long) STEPS * CHAINS * 8 * 2;

    private FmaProbe() {}

    /** Runs the chains from {@code x·y} products; pass values the JIT cannot see as constants. */
    public static float chains(float x, float y) {
        FloatVector a = FloatVector.broadcast(S, x), b = FloatVector.broadcast(S, y);
        // distinct starting values, so the JIT cannot merge chains that would compute the same values
        FloatVector c0 = FloatVector.broadcast(S, 0f), c1 = FloatVector.broadcast(S, 1f), c2 = FloatVector.broadcast(S, 2f),
                c3 = FloatVector.broadcast(S, 3f), c4 = FloatVector.broadcast(S, 4f), c5 = FloatVector.broadcast(S, 5f),
                c6 = FloatVector.broadcast(S, 6f), c7 = FloatVector.broadcast(S, 7f), c8 = FloatVector.broadcast(S, 8f),
                c9 = FloatVector.broadcast(S, 9f), c10 = FloatVector.broadcast(S, 10f), c11 = FloatVector.broadcast(S, 11f);
        for (int i = 0; i < STEPS; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
            c10 = a.fma(b, c10);
            c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).lane(0);
    }
}

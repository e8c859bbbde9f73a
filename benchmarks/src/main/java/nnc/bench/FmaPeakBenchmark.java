package nnc.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FMA throughput this JVM reaches on one core: 12 independent 256-bit FMA chains (enough to
 * cover FMA latency × issue width on AVX2 cores), {@link #STEPS} steps per call. One op/s is
 * {@link #FLOPS_PER_OP} FLOP/s. The peak that {@link GemmBenchmark} is compared with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int STEPS = 10_000;
    static final int CHAINS = 12;
    /** steps × chains × 8 lanes × 2 FLOP per FMA. */
    public static final long FLOPS_PER_OP = (long) STEPS * CHAINS * 8 * 2;

    public float x = 1.0000001f, y = 0.9999999f;

    @Benchmark
    public float fmaChains() {
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

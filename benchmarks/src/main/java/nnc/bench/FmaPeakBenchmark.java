package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.bench.FmaProbe;
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
 * The FMA throughput this JVM reaches on one core ({@link FmaProbe}: 12 independent 256-bit FMA
 * chains). One op/s is {@link #FLOPS_PER_OP} FLOP/s. The peak that {@link GemmBenchmark} is compared with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {
    /** One op/s is this many FLOP/s. */
    public static final long FLOPS_PER_OP = FmaProbe.FLOPS_PER_CALL;

    public float x = 1.0000001f, y = 0.9999999f;

    @Benchmark
    public float fmaChains() {
        return FmaProbe.chains(x, y);
    }
}

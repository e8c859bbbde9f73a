package nnc.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import nnc.runtime.kernels.Gemm;
import nnc.runtime.kernels.Parallelism;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The runtime's GEMM, {@code C = op(A)·op(B)}, per shape ({@code MxNxK}), layout and thread count.
 * Throughput is products per second; GFLOP/s = ops/s × 2·M·N·K / 1e9 (compare with
 * {@link FmaPeakBenchmark} on the same JVM for the % of peak).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"512x512x512", "64x784x512"})
    public String shape;

    @Param({"NN", "NT", "TN"})
    public String layout;

    @Param({"1"})
    public int threads;

    private int m, n, k;
    private boolean ta, tb;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        n = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        ta = layout.charAt(0) == 'T';
        tb = layout.charAt(1) == 'T';
        SplittableRandom r = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        Parallelism.setThreads(threads);
    }

    /** Multiply-adds of one product ×2: what one op/s is worth in FLOP/s. */
    public long flops() { return 2L * m * n * k; }

    @Benchmark
    public float[] matmul() {
        Gemm.matmul(ta, tb, m, n, k, a, 0, b, 0, c, 0);
        return c;
    }
}

package nnc.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import nnc.bench.FmaProbe;

/**
 * A throwaway measurement, not a test: prints single-thread GEMM GFLOP/s of the packed path for shapes
 * given as {@code m,n,k} arguments, as a median over 11 rounds of the calling thread's CPU time (so
 * time lost to other processes on a shared machine does not count) and as the best round (on a loaded
 * machine the other processes still evict the caches: the best round is then the steadier figure), and as a percentage of
 * {@link FmaProbe} measured the same way in the same JVM. Run with {@code java --add-modules jdk.incubator.vector
 * -cp benchmarks/target/benchmarks.jar nnc.runtime.kernels.GemmSpeed 64,512,784 512,512,512}
 * ({@code -Dlayouts=TN}: that layout only; each layout run first in its JVM sees the JIT's code for it alone). It lives in the
 * benchmarks, in the runtime's package: it calls the package-private {@code PackedGemm} directly, and the
 * runtime ships no measurement code.
 */
public final class GemmSpeed {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 11;
    private static float sink;

    private GemmSpeed() {}

    public static void main(String[] args) {
        String[] names = {"NN", "NT", "TN"};
        boolean[][] t = {{false, false}, {false, true}, {true, false}};
        for (int i = 0; i < 20_000; i++) sink += FmaProbe.chains(1.0000001f, 0.9999999f);
        double peak = 0;
        for (String arg : args) {
            String[] p = arg.split(",");
            int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
            SplittableRandom r = new SplittableRandom(1);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
            double flops = 2.0 * m * n * k;
            int reps = (int) Math.max(3, 1e9 / flops);
            for (int l = 0; l < 3; l++) {
                if (!System.getProperty("layouts", "NN,NT,TN").contains(names[l])) continue;
                boolean ta = t[l][0], tb = t[l][1];
                for (int i = 0; i < 300; i++) PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                double[] rounds = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    long p0 = CPU.getCurrentThreadCpuTime();
                    for (int i = 0; i < 2000; i++) sink += FmaProbe.chains(1.0000001f, 0.9999999f);
                    peak = Math.max(peak, 2000.0 * FmaProbe.FLOPS_PER_CALL / (CPU.getCurrentThreadCpuTime() - p0));
                    long t0 = CPU.getCurrentThreadCpuTime();
                    for (int i = 0; i < reps; i++) PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                    rounds[round] = flops * reps / (CPU.getCurrentThreadCpuTime() - t0);
                }
                Arrays.sort(rounds);
                double median = rounds[ROUNDS / 2];
                System.out.printf("%-3s m=%d n=%d k=%d  %.1f GFLOP/s  %.0f %% of the probe's %.1f  (best round %.1f)%n", names[l], m, n, k, median, 100 * median / peak, peak, rounds[ROUNDS - 1]);
            }
        }
        if (sink == 42) System.out.println();
    }
}

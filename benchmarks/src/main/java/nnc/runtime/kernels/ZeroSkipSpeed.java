package nnc.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A throwaway measurement, not a test: single-thread µs per product of the dense path
 * ({@link PackedGemm}) and of {@link ZeroSkipGemm} (list building included) for op(A) with a given
 * fraction of non-zeros scattered at random, the two alternating round by round (median of 15 rounds of
 * the calling thread's CPU time, so time lost to other processes does not count). Arguments
 * {@code LAYOUT,m,n,k} (LAYOUT one of NN, NT, TN, TT); densities 0.1 to 0.9. Run with
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * nnc.runtime.kernels.ZeroSkipSpeed NN,32,128,784 TN,784,128,32}. It found {@link Gemm}'s thresholds.
 */
public final class ZeroSkipSpeed {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 15;

    private ZeroSkipSpeed() {}

    public static void main(String[] args) {
        for (String arg : args) {
            String[] p = arg.split(",");
            boolean ta = p[0].charAt(0) == 'T', tb = p[0].charAt(1) == 'T';
            int m = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]), k = Integer.parseInt(p[3]);
            SplittableRandom r = new SplittableRandom(1);
            float[] b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
            int reps = (int) Math.max(3, 2e8 / (2.0 * m * n * k));
            StringBuilder line = new StringBuilder(String.format("%s %d×%d×%d  density: dense µs / skip µs", p[0], m, n, k));
            for (int d = 1; d <= 9; d++) {
                float[] a = new float[m * k];
                for (int i = 0; i < a.length; i++) a[i] = r.nextDouble() < d / 10.0 ? (float) r.nextDouble() : 0f;
                for (int i = 0; i < 200; i++) {
                    PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                    ZeroSkipGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0, 0, m, 0, n);
                }
                double[] dense = new double[ROUNDS], skip = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    long t0 = CPU.getCurrentThreadCpuTime();
                    for (int i = 0; i < reps; i++) PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                    long t1 = CPU.getCurrentThreadCpuTime();
                    for (int i = 0; i < reps; i++) {
                        ZeroSkipGemm.nonZeros(a, 0, m * k); // the dispatch's count is part of the path's cost
                        ZeroSkipGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0, 0, m, 0, n);
                    }
                    long t2 = CPU.getCurrentThreadCpuTime();
                    dense[round] = (t1 - t0) / 1e3 / reps;
                    skip[round] = (t2 - t1) / 1e3 / reps;
                }
                Arrays.sort(dense);
                Arrays.sort(skip);
                line.append(String.format("  %.1f: %.1f/%.1f", d / 10.0, dense[ROUNDS / 2], skip[ROUNDS / 2]));
            }
            System.out.println(line);
        }
    }
}

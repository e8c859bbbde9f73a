package nnc.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A throwaway measurement, not a test: the time of one {@link Gemm#matmul} call on one thread for the
 * narrow products of an MLP's output layer (C with 10 columns: forward A·W, weight gradient Aᵀ·dY) and
 * the input gradient dY·Wᵀ with k = 10, as the median of 3000 calls timed one by one (wall clock) and
 * as the median over 15 batches of the calling thread's CPU time per call (the steadier figure on a
 * loaded machine), after 20,000 calls of warm-up. Arguments {@code LAYOUT:m,n,k} ({@code NN:32,10,128 TN:128,10,32 NT:32,128,10});
 * without, the two MLPs' shapes. It calls only the public {@code Gemm.matmul}, so the same class runs
 * against an older runtime jar for an A/B: {@code taskset -c 1 java --add-modules jdk.incubator.vector
 * -cp OLD_OR_NEW_RUNTIME.jar:benchmarks/target/classes nnc.runtime.kernels.NarrowGemmSpeed}.
 */
public final class NarrowGemmSpeed {
    private static final String[] SHAPES = {"NN:32,10,128", "TN:128,10,32", "NT:32,128,10", "NN:64,10,512", "TN:512,10,64", "NT:64,512,10"};
    private static final int WARMUP = 20_000, CALLS = 3000, BATCHES = 15;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static float sink;

    private NarrowGemmSpeed() {}

    public static void main(String[] args) {
        for (String arg : args.length == 0 ? SHAPES : args) {
            String[] lp = arg.split(":");
            String[] p = lp[1].split(",");
            boolean ta = lp[0].charAt(0) == 'T', tb = lp[0].charAt(1) == 'T';
            int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
            SplittableRandom r = new SplittableRandom(1);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
            for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() * 2 - 1);
            for (int i = 0; i < WARMUP; i++) Gemm.matmul(ta, tb, m, n, k, a, 0, b, 0, c, 0);
            long[] ns = new long[CALLS];
            for (int i = 0; i < CALLS; i++) {
                long t0 = System.nanoTime();
                Gemm.matmul(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                ns[i] = System.nanoTime() - t0;
                sink += c[i % c.length];
            }
            Arrays.sort(ns);
            long[] cpu = new long[BATCHES];
            for (int q = 0; q < BATCHES; q++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                for (int i = 0; i < CALLS / 10; i++) Gemm.matmul(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                cpu[q] = CPU.getCurrentThreadCpuTime() - t0;
            }
            Arrays.sort(cpu);
            double us = ns[CALLS / 2] / 1e3, cpuUs = cpu[BATCHES / 2] / 1e3 / (CALLS / 10);
            System.out.printf("%s %dx%dx%d  wall %.2f us  cpu %.2f us  %.1f GFLOP/s (cpu)%n", lp[0], m, n, k, us, cpuUs, 2.0 * m * n * k / cpuUs / 1e3);
        }
        if (sink == 42) System.out.println();
    }
}

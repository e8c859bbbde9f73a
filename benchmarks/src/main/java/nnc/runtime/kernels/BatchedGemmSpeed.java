package nnc.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A throwaway measurement, not a test: single-thread time of the encoder benchmark's batched
 * attention products ({@code benchmarks/models/encoder.nn}, batch 16, 4 heads of 32×16 read in place
 * from {@code [16, 32, 4·16]}), as the median and best of 15 rounds of the calling thread's CPU time
 * per call (µs) and GFLOP/s. Layouts as arguments ({@code NT} Q·Kᵀ and dP = dO·Vᵀ, {@code NN} P·V,
 * {@code TN} dV = Pᵀ·dO; default all three), or other shapes as contiguous batches ({@code NT,8,256,256,64}:
 * layout, batch, m, n, k). It calls only the public {@link BatchedGemm#matmul}, so
 * the same class runs against an older runtime jar for an A/B in alternating JVMs:
 * {@code taskset -c 1 java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * nnc.runtime.kernels.BatchedGemmSpeed NT}.
 */
public final class BatchedGemmSpeed {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 15, BATCH = 16, HEADS = 4, T = 32, D = 16;
    private static float sink;

    private BatchedGemmSpeed() {}

    public static void main(String[] args) {
        String[] layouts = args.length == 0 ? new String[] {"NT", "NN", "TN"} : args;
        SplittableRandom r = new SplittableRandom(1);
        float[] q = new float[BATCH * T * HEADS * D], k = new float[q.length], s = new float[BATCH * HEADS * T * T];
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < k.length; i++) k[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < s.length; i++) s[i] = (float) r.nextDouble(-1, 1);
        float[] out = new float[Math.max(q.length, s.length)];
        int b = BATCH * HEADS, hOuter = T * HEADS * D, hRow = HEADS * D, sOuter = HEADS * T * T;
        double flops = 2.0 * b * T * T * D;
        for (String layout : layouts) {
            if (layout.contains(",")) { // LAYOUT,batch,m,n,k: a contiguous batch of another shape
                shape(layout.split(","));
                continue;
            }
            Runnable call = switch (layout) {
                // the generated code's calls (./nnc compile benchmarks/models/encoder.nn --emit java)
                case "NT" -> () -> BatchedGemm.matmul(false, true, b, HEADS, T, T, D, q, hOuter, D, hRow, k, hOuter, D, hRow, out, sOuter, T * T, T);
                case "NN" -> () -> BatchedGemm.matmul(false, false, b, HEADS, T, D, T, s, sOuter, T * T, T, k, hOuter, D, hRow, out, hOuter, D, hRow);
                case "TN" -> () -> BatchedGemm.matmul(true, false, b, HEADS, T, D, T, s, sOuter, T * T, T, q, hOuter, D, hRow, out, hOuter, D, hRow);
                default -> throw new IllegalArgumentException("layout NT, NN or TN: " + layout);
            };
            time(layout + " " + b + " × " + T + "×" + T + "×" + D, call, flops, out);
        }
        if (sink == 42) System.out.println();
    }

    /** {@code LAYOUT, batch, m, n, k} as a contiguous batch. */
    private static void shape(String[] p) {
        boolean ta = p[0].charAt(0) == 'T', tb = p[0].charAt(1) == 'T';
        int b = Integer.parseInt(p[1]), m = Integer.parseInt(p[2]), n = Integer.parseInt(p[3]), k = Integer.parseInt(p[4]);
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[b * m * k], y = new float[b * k * n], out = new float[b * m * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextDouble(-1, 1);
        time(p[0] + " " + b + " × " + m + "×" + n + "×" + k, () -> BatchedGemm.matmul(ta, tb, b, m, n, k, x, y, out), 2.0 * b * m * n * k, out);
    }

    private static void time(String name, Runnable call, double flops, float[] out) {
        int reps = (int) Math.max(10, 4e8 / flops);
        for (int i = 0; i < 10 * reps; i++) call.run();
        double[] us = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) call.run();
            us[round] = (CPU.getCurrentThreadCpuTime() - t0) / 1e3 / reps;
            sink += out[round];
        }
        Arrays.sort(us);
        System.out.printf("%s  median %.1f µs (%.1f GFLOP/s)  best %.1f µs%n", name, us[ROUNDS / 2], flops / us[ROUNDS / 2] / 1e3, us[0]);
    }
}

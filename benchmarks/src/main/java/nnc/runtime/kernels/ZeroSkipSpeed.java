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
 * {@code images=FILE NN,32,128,784 …} takes op(A) from the first images of an IDX image file instead
 * (784 pixels scaled to [0, 1]: the batch's rows for NN, k = batch for TN), reported as one density.
 */
public final class ZeroSkipSpeed {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 15;

    private ZeroSkipSpeed() {}

    public static void main(String[] args) throws java.io.IOException {
        float[] images = null;
        for (String arg : args) {
            if (arg.startsWith("images=")) {
                images = readImages(arg.substring(7), 256);
                continue;
            }
            String[] p = arg.split(",");
            boolean ta = p[0].charAt(0) == 'T', tb = p[0].charAt(1) == 'T';
            int m = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]), k = Integer.parseInt(p[3]);
            SplittableRandom r = new SplittableRandom(1);
            float[] b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
            int reps = (int) Math.max(3, 2e8 / (2.0 * m * n * k));
            StringBuilder line = new StringBuilder(String.format("%s %d×%d×%d  density: dense µs / skip µs", p[0], m, n, k));
            for (int d = images == null ? 1 : 0; d <= (images == null ? 9 : 0); d++) {
                float[] a = new float[m * k];
                if (images != null) System.arraycopy(images, 0, a, 0, a.length);
                else for (int i = 0; i < a.length; i++) a[i] = r.nextDouble() < d / 10.0 ? (float) r.nextDouble() : 0f;
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
                double density = ZeroSkipGemm.nonZeros(a, 0, a.length) / (double) a.length;
                line.append(String.format("  %.2f: %.1f/%.1f (best %.1f/%.1f)", density, dense[ROUNDS / 2], skip[ROUNDS / 2], dense[0], skip[0]));
            }
            System.out.println(line);
        }
    }

    /** The first {@code count} images of a (gzipped) IDX image file, pixels scaled to [0, 1]. */
    private static float[] readImages(String file, int count) throws java.io.IOException {
        try (var in = new java.io.DataInputStream(new java.util.zip.GZIPInputStream(new java.io.FileInputStream(file)))) {
            in.skipNBytes(16);
            byte[] pixels = in.readNBytes(count * 784);
            float[] x = new float[pixels.length];
            for (int i = 0; i < x.length; i++) x[i] = (pixels[i] & 0xFF) / 255f;
            return x;
        }
    }
}

package nnc.runtime.kernels;

import java.util.SplittableRandom;

/**
 * A throwaway measurement, not a test: prints GEMM GFLOP/s (best of 7 rounds) for shapes given as
 * {@code m,n,k} arguments, through {@link Gemm#matmul} and through each path alone. Run with
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * nnc.runtime.kernels.GemmSpeed 512,512,512 64,512,784}.
 */
public final class GemmSpeed {
    private GemmSpeed() {}

    public static void main(String[] args) {
        String[] names = {"NN", "NT", "TN"};
        boolean[][] t = {{false, false}, {false, true}, {true, false}};
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
                boolean ta = t[l][0], tb = t[l][1];
                double[] best = new double[3];
                for (int round = 0; round < 7; round++) {
                    for (int path = 0; path < 3; path++) {
                        if (path == 1 && flops > 1e7) continue;
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            switch (path) {
                                case 0 -> Gemm.matmul(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                                case 1 -> Gemm.direct(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                                default -> PackedGemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0);
                            }
                        }
                        best[path] = Math.max(best[path], flops * reps / (System.nanoTime() - t0));
                    }
                }
                System.out.printf("%-3s m=%d n=%d k=%d  %.1f GFLOP/s   (direct %.1f, packed %.1f)%n",
                        names[l], m, n, k, best[0], best[1], best[2]);
            }
        }
    }
}

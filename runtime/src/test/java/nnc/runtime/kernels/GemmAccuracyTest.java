package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A long reduction through Gemm: a weight gradient Xᵀ·dY over 840 rows (batch × time), X = relu of
 * normals, dY normals / 10, against the product in double precision. The sum of K-block chains has
 * about half the error of a single FMA chain (measured 1.9e-7 against 3.7e-7 on such data; PyTorch
 * 1.13's float32 {@code mm} gave 2.2e-7 on the same data).
 */
class GemmAccuracyTest {
    @Test
    void an840RowProductIsAsAccurateAsPyTorchs() {
        int k = 840, m = 128, n = 64;
        SplittableRandom r = new SplittableRandom(15);
        float[] x = new float[k * m], dy = new float[k * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(0, r.nextGaussian());
        for (int i = 0; i < dy.length; i++) dy[i] = (float) (r.nextGaussian() * 0.1);
        float[] c = new float[m * n];
        Gemm.matmul(true, false, m, n, k, x, 0, dy, 0, c, 0);
        double err = 0, chainErr = 0, norm = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double exact = 0;
                float chain = 0f;
                for (int p = 0; p < k; p++) {
                    exact += (double) x[p * m + i] * dy[p * n + j];
                    chain = Math.fma(x[p * m + i], dy[p * n + j], chain);
                }
                err += (c[i * n + j] - exact) * (c[i * n + j] - exact);
                chainErr += (chain - exact) * (chain - exact);
                norm += exact * exact;
            }
        double rel = Math.sqrt(err / norm), chainRel = Math.sqrt(chainErr / norm);
        assertTrue(rel < 2.2e-7, "relative error " + rel + " (one chain: " + chainRel + ")");
        assertTrue(rel < 0.7 * chainRel, "relative error " + rel + " is not well below one chain's " + chainRel);
    }
}

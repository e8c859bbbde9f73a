package nnc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * batch_norm over [batch, C, H, W] (BatchNorm2d) and [batch, C, L] (BatchNorm1d): the output and the
 * running statistics of two training steps and the output of evaluate, on every back end, against
 * statistics computed here per channel over batch and positions.
 */
class BatchNormChannelsTest {
    static final int BATCH = 3, C = 2;

    static String model(String shape) {
        return """
                model B {
                  input  x: f32[batch, %s]
                  target y: f32[batch, %s]
                  output o = batch_norm(x, momentum = 0.25, eps = 1e-3)
                  loss   mse(o, y)
                }
                train { optimizer sgd(lr = 1e-30) }  // γ and β stay 1 and 0 in f32
                """.formatted(shape, shape);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void featureMaps(Backend backend) { check(backend, "2, 2, 3", 6); }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sequences(Backend backend) { check(backend, "2, 5", 5); }

    private static void check(Backend backend, String shape, int positions) {
        CompiledModel m = Compilation.of(new SourceFile("t.nn", model(shape))).compiled(backend, BATCH);
        ParamInit.initialize(m, 1);
        SplittableRandom random = new SplittableRandom(7);
        double[] runMean = {0, 0}, runVar = {1, 1};
        float[] x = m.floats("x");
        for (int step = 0; step < 2; step++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * (1 + i % 3) + step);
            m.trainStep(BATCH);
            for (int c = 0; c < C; c++) {
                double sum = 0, squares = 0;
                int n = BATCH * positions;
                for (int b = 0; b < BATCH; b++) for (int p = 0; p < positions; p++) sum += x[at(b, c, p, positions)];
                double mean = sum / n;
                for (int b = 0; b < BATCH; b++)
                    for (int p = 0; p < positions; p++) squares += Math.pow(x[at(b, c, p, positions)] - mean, 2);
                double var = squares / n;
                for (int b = 0; b < BATCH; b++)
                    for (int p = 0; p < positions; p++)
                        assertEquals((x[at(b, c, p, positions)] - mean) / Math.sqrt(var + 1e-3), m.floats("o")[at(b, c, p, positions)], 1e-5,
                                "training output, step " + step);
                runMean[c] = 0.75 * runMean[c] + 0.25 * mean;
                runVar[c] = 0.75 * runVar[c] + 0.25 * var * n / (n - 1);
                assertEquals(runMean[c], m.floats("o.running_mean")[c], 1e-5, "running mean, step " + step);
                assertEquals(runVar[c], m.floats("o.running_var")[c], 1e-5, "running var, step " + step);
            }
        }
        m.evaluate(BATCH);
        for (int b = 0; b < BATCH; b++)
            for (int c = 0; c < C; c++)
                for (int p = 0; p < positions; p++)
                    assertEquals((x[at(b, c, p, positions)] - runMean[c]) / Math.sqrt(runVar[c] + 1e-3), m.floats("o")[at(b, c, p, positions)], 1e-5,
                            "evaluate output");
    }

    private static int at(int b, int c, int p, int positions) { return (b * C + c) * positions + p; }
}

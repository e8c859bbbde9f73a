package nnc.e2e;

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
 * The lecture's other closed-form gradients (DSL.md §2 and §3), computed here in double precision
 * from the lecture's formulas and compared with what each back end's generated backward pass gives:
 * <ul>
 *   <li>two sigmoid neurons, {@code a = σ(w1·x)}, {@code ŷ = σ(w2·a)}, {@code L = ½(y − ŷ)²}:
 *       {@code ∂L/∂w2 = (ŷ − y)·ŷ(1 − ŷ)·a}, {@code ∂L/∂w1 = (ŷ − y)·ŷ(1 − ŷ)·w2·a(1 − a)·x};</li>
 *   <li>the 2-3-1 network with a sigmoid output and binary cross-entropy: {@code ∂L/∂z = ŷ − y}
 *       per example, so (mean over the batch) {@code ∂L/∂b = mean(ŷ − y)} and
 *       {@code ∂L/∂W = hᵀ(ŷ − y)/B} for the output layer.</li>
 * </ul>
 */
class LectureGradientsTest {
    private static final String TWO_SIGMOID = """
            model TwoSigmoid {
              input  x: f32[batch, 1]
              target y: f32[batch, 1]
              param  w1: f32[1, 1] = 0.8
              param  w2: f32[1, 1] = -1.3
              output a = sigmoid(x @ w1)
              output yhat = sigmoid(a @ w2)
              loss   0.5 * sum((y - yhat) ^ 2)
            }
            """;

    private static final String TWO_THREE_ONE = """
            model Net231 {
              input  x: f32[batch, 2]
              target y: f32[batch, 1]
              output h = sigmoid(dense(x, 3))
              z      = dense(h, 1)
              output p = sigmoid(z)
              loss   %s
            }
            """;

    private static CompiledModel compile(String source, Backend backend, int maxBatch) {
        var stages = Compilation.of(new SourceFile("lecture.nn", source));
        CompiledModel m = backend.create(stages.differentiated(), maxBatch);
        ParamInit.initialize(m, 7);
        return m;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoSigmoidNeuronsMatchTheClosedForm(Backend backend) {
        CompiledModel m = compile(TWO_SIGMOID, backend, 1);
        double x = 1.5, y = 1.0, w1 = 0.8, w2 = -1.3;
        m.floats("x")[0] = (float) x;
        m.floats("y")[0] = (float) y;
        m.trainStep(1);
        double a = 1 / (1 + Math.exp(-w1 * x));
        double yhat = 1 / (1 + Math.exp(-w2 * a));
        double dw2 = (yhat - y) * yhat * (1 - yhat) * a;
        double dw1 = (yhat - y) * yhat * (1 - yhat) * w2 * a * (1 - a) * x;
        assertClose(0.5 * (y - yhat) * (y - yhat), m.loss(), "loss");
        assertClose(dw2, m.floats(Compilation.GRAD + "w2")[0], "dL/dw2");
        assertClose(dw1, m.floats(Compilation.GRAD + "w1")[0], "dL/dw1");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bceOnASigmoidOutputHasLogitGradientYhatMinusY(Backend backend) {
        checkOutputLayer(compile(TWO_THREE_ONE.formatted("bce(p, y)"), backend, 4));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bceWithLogitsHasTheSameLogitGradient(Backend backend) {
        checkOutputLayer(compile(TWO_THREE_ONE.formatted("bce_with_logits(z, y)"), backend, 4));
    }

    private static void checkOutputLayer(CompiledModel m) {
        int batch = 4;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = m.floats("x"), y = m.floats("y");
        for (int i = 0; i < batch * 2; i++) x[i] = (float) rnd.nextDouble(-2, 2);
        for (int i = 0; i < batch; i++) y[i] = i % 2;
        m.trainStep(batch);
        float[] h = m.floats("h"), p = m.floats("p");
        double db = 0;
        double[] dW = new double[3];
        for (int i = 0; i < batch; i++) {
            double dz = (p[i] - y[i]) / batch;
            db += dz;
            for (int j = 0; j < 3; j++) dW[j] += h[i * 3 + j] * dz;
        }
        assertClose(db, m.floats(Compilation.GRAD + "z.b")[0], "dL/dz.b");
        for (int j = 0; j < 3; j++) assertClose(dW[j], m.floats(Compilation.GRAD + "z.W")[j], "dL/dz.W[" + j + "]");
    }

    private static void assertClose(double expected, float actual, String what) {
        assertEquals(expected, actual, 2e-6 * Math.max(1, Math.abs(expected)), what);
    }
}

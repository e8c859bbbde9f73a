package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import nnc.emit.load.CodeGenerator;
import nnc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/** End to end: the generated linear-regression trainer learns, identically in both back ends. */
class LinearRegressionTrainingTest {
    static final float[] W = {1f, -2f, 0.5f};
    static final float B = 0.3f;

    @Test
    void bothBackEndsLearnTheSameWeightsBitForBit() {
        CompiledModel source = CodeGenerator.JAVA.build(TestPrograms.linearRegression(), "gen.LinRegTrainer", 16);
        CompiledModel bytecode = CodeGenerator.BYTECODE.build(TestPrograms.linearRegression(), "gen.LinRegTrainer", 16);
        float first = train(source, 1);
        float last = train(source, 400);
        train(bytecode, 1);
        assertEquals(last, train(bytecode, 400));
        assertTrue(last < first * 1e-4f, "loss fell from " + first + " to " + last);
        assertArrayEquals(source.floats("w"), bytecode.floats("w"));
        assertEquals(Float.floatToRawIntBits(source.floats("b")[0]), Float.floatToRawIntBits(bytecode.floats("b")[0]));
        assertEquals(W[1], source.floats("w")[1], 1e-2f);
        assertEquals(B, source.floats("b")[0], 1e-2f);
    }

    /** Runs {@code steps} train steps on fresh samples of {@code y = x·W + B}; returns the last loss. */
    private static float train(CompiledModel m, int steps) {
        Random random = new Random(steps);
        float loss = Float.NaN;
        for (int step = 0; step < steps; step++) {
            int batch = 8 + step % 9;
            float[] x = m.floats("x");
            float[] y = m.floats("y");
            for (int r = 0; r < batch; r++) {
                float t = B;
                for (int c = 0; c < 3; c++) {
                    x[r * 3 + c] = random.nextFloat() * 2 - 1;
                    t += x[r * 3 + c] * W[c];
                }
                y[r] = t;
            }
            m.trainStep(batch);
            loss = m.loss();
        }
        return loss;
    }
}

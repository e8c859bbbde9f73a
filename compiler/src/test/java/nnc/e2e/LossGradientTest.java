package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Losses at the points where a piecewise formula would get the derivative wrong. */
class LossGradientTest {
    /**
     * bce_with_logits is smooth at z = 0: dL/dz = (σ(0) − y)/n = (0.5 − y)/n. A lowering through
     * relu and abs (whose derivatives at 0 are 0) would give −y/n instead.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void bceWithLogitsAtZeroLogits(Backend backend) {
        String program = """
                model M {
                  input  x: f32[batch, 1]
                  target y: f32[batch, 1]
                  param  b: f32[1] = 0
                  output z = x * 0 + b
                  loss   bce_with_logits(z, y)
                }
                """;
        var module = Compilation.of(new SourceFile("m.nn", program)).differentiated();
        CompiledModel m = backend.create(module, 2);
        m.floats("y")[0] = 1f;
        m.floats("y")[1] = 0f;
        m.trainStep(2);
        assertEquals((float) Math.log(2), m.loss(), 1e-7);
        assertEquals(0f, m.floats(Compilation.GRAD + "b")[0]); // ((0.5 − 1) + (0.5 − 0)) / 2
    }
}

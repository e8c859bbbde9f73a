package nnc.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/**
 * The f32 step counter's documented limit ({@link UpdateContext}): it counts exactly to 2^24 and
 * then stays there, and by then Adam's bias corrections are exactly 1, so the update is plain
 * {@code w − lr·m/(√v + ε)} whatever the counter says.
 */
class StepCounterTest {
    @Test
    void counterSaturatesAt2To24WhereAdamNoLongerNeedsIt() {
        Compilation one = Compilation.of(new SourceFile("one.nn", """
                model One {
                  input  x: f32[batch, 1]
                  target y: f32[batch, 1]
                  param  w: f32[1, 1] = 0.5
                  output z = x @ w
                  loss   mse(z, y)
                }
                train { optimizer adam(lr = 0.1) }
                """));
        CompiledModel m = one.compiled(Backend.BYTECODE, 1);
        m.floats("w")[m.offset("w")] = 0.5f;
        m.floats("x")[m.offset("x")] = 1f;
        m.floats("y")[m.offset("y")] = 2f;
        m.floats("step")[m.offset("step")] = 0x1p24f - 1;
        m.trainStep(1);
        assertEquals(0x1p24f, m.floats("step")[m.offset("step")], "exact up to 2^24");
        float mOld = m.floats("w.adam_m")[m.offset("w.adam_m")], vOld = m.floats("w.adam_v")[m.offset("w.adam_v")];
        float w = m.floats("w")[m.offset("w")];
        m.trainStep(1);
        assertEquals(0x1p24f, m.floats("step")[m.offset("step")], "2^24 + 1 rounds back to 2^24 in f32");
        // the same step by hand with bias corrections 1: g = 2·(w·1 − 2), m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²
        float g = 2 * (w - 2f);
        float m2 = 0.9f * mOld + (float) (1 - 0.9) * g;
        float v2 = 0.999f * vOld + (float) (1 - 0.999) * (g * g);
        float expected = w - 0.1f * (m2 / ((float) Math.sqrt(v2) + 1e-8f));
        assertEquals(expected, m.floats("w")[m.offset("w")], Math.ulp(expected) * 4);
        assertEquals(1f, 1f - (float) Math.pow(0.999f, 0x1p24f), "1 − β2ᵗ is exactly 1 at t = 2^24");
    }
}

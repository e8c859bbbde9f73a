package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.IrModule;
import nnc.runtime.CompiledModel;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DSL.md §2: F(x) = w2·relu(w1·x + b1) + b2 with w1=5, w2=−1, b1=0, b2=1, x=3, y=−12 gives
 * loss 4 and dL/dw1 = 12, dL/db1 = 4, dL/dw2 = −60, dL/db2 = −4, exactly, on every back end.
 */
class WorkedExampleTest {
    @ParameterizedTest
    @EnumSource(Backend.class)
    void lectureNumbersExactly(Backend backend) {
        IrModule module = Samples.stages("worked").differentiated();
        CompiledModel m = backend.create(module, 1);
        ParamInit.initialize(m, 0);
        assertEquals(5f, m.floats("w1")[0]);
        assertEquals(-1f, m.floats("w2")[0]);
        m.floats("x")[0] = 3f;
        m.floats("y")[0] = -12f;
        m.trainStep(1);
        assertEquals(4f, m.loss());
        assertEquals(12f, m.floats(Compilation.GRAD + "w1")[0]);
        assertEquals(4f, m.floats(Compilation.GRAD + "b1")[0]);
        assertEquals(-60f, m.floats(Compilation.GRAD + "w2")[0]);
        assertEquals(-4f, m.floats(Compilation.GRAD + "b2")[0]);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void oneSgdStepMovesEachParameterAgainstItsGradient(Backend backend) {
        var worked = Samples.stages("worked");
        double lr = worked.train().optimizerOptions().getOrDefault("lr", 0.01);
        CompiledModel m = worked.compiled(backend, 1);
        ParamInit.initialize(m, 0);
        m.floats("x")[0] = 3f;
        m.floats("y")[0] = -12f;
        m.trainStep(1);
        assertEquals((float) (5 - (float) lr * 12f), m.floats("w1")[0], 1e-6);
        assertEquals((float) (-1 - (float) lr * -60f), m.floats("w2")[0], 1e-6);
    }
}

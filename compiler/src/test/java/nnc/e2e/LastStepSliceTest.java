package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code last(h)} is the slice {@code h[:, -1]}: on every back end it returns the last step's bits
 * exactly (−0.0 included), and a NaN or infinity at an earlier step does not reach it (the former
 * Σₜ h·(t = time − 1) turned them into NaN: NaN·0, ∞·0).
 */
class LastStepSliceTest {
    static final String MODEL = """
            model Last {
              input  x: f32[batch, 4, 3]
              target y: f32[batch, 3]
              output p = last(x)
              loss   mse(p, y)
            }
            """;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theLastStepsBitsWhateverTheEarlierStepsHold(Backend backend) {
        for (boolean simd : new boolean[] {false, true}) {
            CompiledModel m = Compilation.of(new SourceFile("last.nn", MODEL)).compiled(backend, 2, simd, Numerics.Mode.OFF);
            float[] x = m.floats("x");
            for (int i = 0; i < 24; i++) x[i] = 0.25f * i - 2;
            x[0] = Float.NaN;                 // row 0, step 0
            x[4] = Float.POSITIVE_INFINITY;   // row 0, step 1
            x[14] = Float.NEGATIVE_INFINITY;  // row 1, step 0
            x[10] = -0.0f;                    // row 0, last step
            x[23] = 1e-45f;                   // row 1, last step: a subnormal
            m.predict(2);
            float[] p = m.floats("p");
            for (int row = 0; row < 2; row++)
                for (int j = 0; j < 3; j++)
                    assertEquals(Float.floatToRawIntBits(x[row * 12 + 9 + j]), Float.floatToRawIntBits(p[row * 3 + j]),
                            backend + " simd=" + simd + " p[" + row + "," + j + "]");
        }
    }
}

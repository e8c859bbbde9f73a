package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.runtime.CompiledModel;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every elementwise function exposed as a builtin (by its {@link UnaryFn}/{@link BinaryFn} entry,
 * no other table) is accepted by the checker, lowered, and computed by every back end with its f32
 * semantics' bits, in vector lanes (64 contiguous elements) and in the scalar tail.
 */
class ElementwiseBuiltinsTest {
    static final int BATCH = 3, WIDTH = 67; // 67 = 8 vectors of 8 and a scalar tail of 3

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (UnaryFn fn : UnaryFn.values()) fn.builtin().ifPresent(name -> out.add(Arguments.of(backend, name)));
            for (BinaryFn fn : BinaryFn.values()) fn.builtin().ifPresent(name -> out.add(Arguments.of(backend, name)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void builtinComputesItsFunctionsBits(Backend backend, String name) {
        UnaryFn unary = UnaryFn.ofBuiltin(name).orElse(null);
        BinaryFn binary = BinaryFn.ofBuiltin(name).orElse(null);
        String call = unary != null ? name + "(x * s)" : name + "(x * s, z)";
        String source = """
                model M {
                  input  x: f32[batch, %1$d]
                  %3$s
                  target y: f32[batch, %1$d]
                  param  s: f32[1] = ones
                  output o = %2$s
                  loss   mse(o, y)
                }
                """.formatted(WIDTH, call, binary != null ? "input  z: f32[batch, " + WIDTH + "]" : "");
        CompiledModel m = Compilation.of(new SourceFile("t.nn", source)).compiled(backend, BATCH);
        ParamInit.initialize(m, 1);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        int n = BATCH * WIDTH;
        float[] x = m.floats("x"), z = binary != null ? m.floats("z") : new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-6, 6);
            z[i] = (float) r.nextDouble(-3, 3);
            // inside the function's domain (log, sqrt, pow of a negative base are NaN: their bits are not the point here)
            if (unary != null && !Double.isFinite(unary.reference(x[i]))) x[i] = Math.abs(x[i]) + 0.5f;
            if (binary != null && !Double.isFinite(binary.reference(x[i], z[i]))) x[i] = Math.abs(x[i]) + 0.5f;
        }
        m.predict(BATCH);
        float[] o = m.floats("o");
        for (int i = 0; i < n; i++) {
            float want = unary != null ? unary.apply(x[i]) : binary.apply(x[i], z[i]);
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(o[i]), name + " at " + i + " of x = " + x[i] + " on " + backend);
        }
    }
}

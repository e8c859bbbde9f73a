package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.IrModule;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After N training steps from the same seed on the same batches, the java and bytecode back ends
 * hold bitwise-identical parameters and optimiser state (with vector loops and with scalar loops),
 * and the interpreter agrees with the scalar loops to 1e-5 relative (of the largest magnitude of
 * each tensor). SIMD against scalar loops is {@code nnc.emit.SimdAgreementTest}'s concern: vector
 * reductions fold in another order, which deep Adam-trained models amplify.
 */
class BackendAgreementTest {
    static final int STEPS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"playground", "housing", "worked", "fashion_mlp", "logistic", "softmax", "resnet_s", "vocabulary", "batchnorm", "regularised", "lenet", "convmix", "bigram", "majority", "seqvocab", "last_step", "char_rnn", "sentiment", "recurrent", "tiny_transformer", "plumbing", "padded_bilstm"})
    void backendsAgree(String sample) {
        Compilation compilation = Samples.stages(sample);
        IrModule module = compilation.optimized();
        int batch = 16;
        CompiledModel interp = run(Backend.INTERP, compilation, batch, false);
        CompiledModel java = run(Backend.JAVA, compilation, batch, false);
        CompiledModel bytecode = run(Backend.BYTECODE, compilation, batch, false);
        CompiledModel javaSimd = run(Backend.JAVA, compilation, batch, true);
        CompiledModel bytecodeSimd = run(Backend.BYTECODE, compilation, batch, true);
        for (TensorSpec t : module.info().tensors()) {
            if (t.role() != Role.PARAM && t.role() != Role.STATE && t.role() != Role.OUTPUT) continue;
            float[] j = java.floats(t.name()), b = bytecode.floats(t.name()), i = interp.floats(t.name());
            int n = t.elementCount(batch);
            assertArrayEquals(Arrays.copyOf(j, n), Arrays.copyOf(b, n), sample + ": java vs bytecode differ in " + t.name());
            assertArrayEquals(Arrays.copyOf(javaSimd.floats(t.name()), n), Arrays.copyOf(bytecodeSimd.floats(t.name()), n),
                    sample + ": java vs bytecode (simd) differ in " + t.name());
            double scale = 0;
            for (int k = 0; k < n; k++) scale = Math.max(scale, Math.abs(j[k]));
            for (int k = 0; k < n; k++)
                assertTrue(Math.abs(i[k] - j[k]) <= 1e-5 * Math.max(scale, 1e-30),
                        sample + ": interpreter differs in " + t.name() + "[" + k + "]: " + i[k] + " vs " + j[k]);
        }
    }

    private static CompiledModel run(Backend backend, Compilation compilation, int batch, boolean simd) {
        return SampleModules.train(compilation.compiled(backend, batch, simd, Numerics.Mode.ON), batch, STEPS);
    }
}

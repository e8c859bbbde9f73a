package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.IrModule;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --check-numerics=full} watches without touching: on every sample, a few training steps with
 * every kernel's output checked (java and bytecode back ends, SIMD loops; the interpreter with every
 * operation checked) raise nothing and leave parameters, state and outputs bitwise as without checks.
 */
class FullNumericsAgreementTest {
    @ParameterizedTest
    @ValueSource(strings = {"playground", "housing", "worked", "fashion_mlp", "logistic", "softmax", "resnet_s", "vocabulary", "batchnorm", "regularised", "lenet", "convmix", "bigram", "majority", "seqvocab", "last_step", "char_rnn", "sentiment", "recurrent", "tiny_transformer", "padded_bilstm"})
    void fullChecksChangeNoBit(String sample) {
        Compilation compilation = Samples.stages(sample);
        IrModule module = compilation.optimized();
        int batch = 8;
        for (Backend backend : Backend.values()) {
            CompiledModel plain = SampleModules.train(compilation.compiled(backend, batch, true, Numerics.Mode.ON), batch, 3);
            CompiledModel checked = SampleModules.train(compilation.compiled(backend, batch, true, Numerics.Mode.FULL), batch, 3);
            for (TensorSpec t : module.info().tensors()) {
                if (t.role() != Role.PARAM && t.role() != Role.STATE && t.role() != Role.OUTPUT) continue;
                int n = t.elementCount(batch);
                assertArrayEquals(Arrays.copyOf(plain.floats(t.name()), n), Arrays.copyOf(checked.floats(t.name()), n),
                        sample + " (" + backend.text() + "): " + t.name());
            }
        }
    }
}

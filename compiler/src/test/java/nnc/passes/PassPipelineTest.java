package nnc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import nnc.driver.Backend;
import nnc.ir.GraphVerifier;
import nnc.ir.IrModule;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The standard pipeline on every sample: the verifier passes after each pass, the model keeps its
 * tensors, the graph does not grow, and training with the optimised module gives bitwise the same
 * parameters, state and outputs as the unoptimised train step.
 */
class PassPipelineTest {
    static List<String> samples() { return SampleModules.names(); }

    @ParameterizedTest
    @MethodSource("samples")
    void verifierPassesAfterEveryPass(String sample) {
        IrModule trained = SampleModules.stages(sample).trained();
        PassPipeline.standard().run(trained, new PassReport(),
                (pass, m) -> assertEquals(List.of(), GraphVerifier.verify(m), sample + " after " + pass.name()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void keepsTheModelsTensorsAndShrinks(String sample) {
        var stages = SampleModules.stages(sample);
        assertEquals(stages.trained().info(), stages.optimized().info(), sample);
        int before = stages.trained().train().nodes().size(), after = stages.optimized().train().nodes().size();
        assertTrue(after <= before, sample + ": " + before + " → " + after + " nodes");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void optimisedTrainsBitwiseLikeUnoptimised(String sample) {
        var stages = SampleModules.stages(sample);
        int batch = 8;
        CompiledModel plain = SampleModules.train(Backend.JAVA.create(stages.trained(), batch), batch, 4);
        CompiledModel opt = SampleModules.train(stages.compiled(Backend.BYTECODE, batch), batch, 4);
        for (TensorSpec t : stages.trained().info().tensors()) {
            if (t.role() == Role.INPUT || t.role() == Role.TARGET) continue;
            int n = t.elementCount(batch);
            float[] a = Arrays.copyOf(plain.floats(t.name()), n), b = Arrays.copyOf(opt.floats(t.name()), n);
            for (int k = 0; k < n; k++)
                assertEquals(Float.floatToIntBits(a[k]), Float.floatToIntBits(b[k]), sample + ": " + t.name() + "[" + k + "]");
        }
    }
}

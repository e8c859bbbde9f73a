package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import nnc.driver.Stage;
import nnc.ir.GraphVerifier;
import nnc.kir.Buffer;
import nnc.kir.KernelProgram;
import nnc.runtime.TensorSpec;
import nnc.schedule.Scheduler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The verifier between stages: every sample's IR is well formed after each stage, and schedules. */
class StageVerifierTest {
    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(Samples.dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nn"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyStageVerifies(String sample) {
        var stages = Samples.stages(sample);
        for (Stage s : List.of(Stage.LOWER, Stage.AUTODIFF, Stage.TRAIN))
            assertEquals(List.of(), GraphVerifier.verify(stages.at(s)), sample + " after " + s.text());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyNamedTensorHasExactlyOneBuffer(String sample) {
        KernelProgram p = Scheduler.schedule(Samples.stages(sample).optimized());
        for (TensorSpec t : p.info().tensors()) {
            List<Buffer> named = p.buffers().stream().filter(b -> b.name().equals(t.name())).toList();
            assertEquals(1, named.size(), sample + ": buffers named " + t.name());
            assertTrue(named.get(0).dtype() == t.dtype(), sample + ": dtype of " + t.name());
        }
        for (int i = 0; i < p.buffers().size(); i++) assertEquals(i, p.buffers().get(i).id(), "buffer ids are dense");
    }
}

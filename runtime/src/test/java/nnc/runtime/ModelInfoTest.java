package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text a generated class embeds: inference state is marked, and texts written before the mark still read. */
class ModelInfoTest {
    static final ModelInfo INFO = new ModelInfo("M", List.of(
            new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, 2}, null),
            new TensorSpec("h.W", Role.PARAM, DType.F32, new int[] {2, 3}, new Init.Xavier()),
            new TensorSpec("bn.running_mean", Role.STATE, DType.F32, new int[] {3}, null, true),
            new TensorSpec("h.W.adam_m", Role.STATE, DType.F32, new int[] {2, 3}, null),
            new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)), "loss", List.of(), Map.of());

    @Test
    void inferenceStateIsMarkedInTheTextAndReadBack() {
        String text = INFO.encode();
        assertTrue(text.contains("STATE|bn.running_mean|F32|3||inference\n"), text);
        assertTrue(text.contains("STATE|h.W.adam_m|F32|2,3|\n"), text);
        ModelInfo back = ModelInfo.decode(text);
        assertEquals(INFO, back);
        assertEquals(List.of("bn.running_mean"), back.inferenceState().stream().map(TensorSpec::name).toList());
        assertEquals(List.of("h.W", "bn.running_mean"), back.trained().stream().map(TensorSpec::name).toList());
    }

    @Test
    void aTextWrittenBeforeTheMarkReadsWithoutInferenceState() {
        String old = "model|M|loss|\nINPUT|x|F32|-1,2|\nPARAM|h.W|F32|2,3|xavier\nSTATE|bn.running_mean|F32|3|\nOUTPUT|loss|F32||\n";
        ModelInfo info = ModelInfo.decode(old);
        assertFalse(info.get("bn.running_mean").inferenceState());
        assertEquals(List.of("h.W"), info.trained().stream().map(TensorSpec::name).toList());
    }

    @Test
    void onlyStateCanBeInferenceState() {
        assertThrows(IllegalArgumentException.class, () -> new TensorSpec("w", Role.PARAM, DType.F32, new int[] {1}, null, true));
    }
}

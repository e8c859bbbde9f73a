package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The generated backward pass reads like the lecture's chain rule: each gradient is named after
 * what it is the gradient of ({@code d_logits}, {@code d_h.W}), and the kernel comments show the
 * formulas (for a sigmoid output with bce, {@code d_logits = (p − y) / batch}).
 */
class ReadableBackwardTest {
    private static String source(String sample) {
        return Samples.stages(sample).javaSource("gen", true);
    }

    @Test
    void gradientsAreNamedAfterTheirValuesAndParameters() {
        String java = source("playground");
        for (String name : new String[] {"d_logits_", "d_logits.W_", "d_logits.b_", "d_h.W_", "d_h.b_"})
            assertTrue(java.contains(name), name + " in\n" + java);
        assertTrue(java.matches("(?s).*\\* d_logits_\\d+ = y\\[i0\\] \\* -\\(1.0f / batch\\) \\+ p\\[i0\\] \\* \\(1.0f / batch\\).*"),
                "d_logits = (p - y) / batch");
        assertTrue(java.matches("(?s).*\\* d_logits\\.W_\\d+ = h_\\d+\\^T @ d_logits_\\d+.*"), "d_logits.W = h^T d_logits");
    }

    @Test
    void namesAreTheSameOnEveryCompilation() {
        assertEquals(source("resnet_s"), source("resnet_s"));
    }
}

package nnc.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import org.junit.jupiter.api.Test;

/** The controls' view of a source: the programs it reads, and why it refuses the others. */
class ProgramReaderTest {
    private static ProgramReader.View read(String source) {
        return ProgramReader.read(Compilation.of(new SourceFile("t.nn", source)));
    }

    private static final String BASE = ProgramRenderer.render(
            new Program("xor", 200, 0.1, 0.5, 10, List.of(3, 2), "relu", "momentum", 0.1, "l1", 0.01, 20, 4));

    @Test void theDocsExampleIsTheProgramItDescribes() throws Exception {
        String doc = Files.readString(Path.of("../docs/playground.md"));
        int start = doc.indexOf("```nn\n") + 6;
        String example = doc.substring(start, doc.indexOf("```", start));
        ProgramReader.View v = read(example);
        assertEquals(new Program("spiral", 500, 0.1, 0.2, 10, List.of(4, 4), "tanh", "adam", 0.03, "l2", 0.001, 100, 1), v.program(), v.why());
        assertEquals(example, ProgramRenderer.render(v.program()), "the docs show the canonical text");
    }

    @Test void theNetworkNamesTheParametersOfEachLayer() {
        Network n = read(BASE).network();
        assertEquals(List.of(2, 3, 2, 1), n.layers());
        assertEquals(List.of("h1.W", "h2.W", "logits.W"), n.weights());
        assertEquals(List.of("h1.b", "h2.b", "logits.b"), n.biases());
        assertEquals("relu", n.activation());
    }

    @Test void aWiderNetworkThanTheControlsIsANetworkButNoProgram() {
        ProgramReader.View v = read(BASE.replace("dense(x, 3)", "dense(x, 16)"));
        assertNull(v.program());
        assertNotNull(v.network());
        assertTrue(v.why().contains("1 .. 8 neurons"), v.why());
    }

    @Test void programsOutsideTheFormSayWhy() {
        assertWhy(BASE.replace("relu(dense(h1, 2))", "tanh(dense(h1, 2))"), "different activations");
        assertWhy(BASE.replace("bce_with_logits(logits, y)", "mse(p, y)"), "bce_with_logits");
        assertWhy(BASE.replace("+ 0.01 * l1(params)", "+ 0.01 * l1(h1.W)"), "RATE * l1(params)");
        assertWhy(BASE.replace("momentum(lr = 0.1)", "momentum(lr = 0.1, momentum = 0.5)"), "option momentum");
        assertWhy(BASE.replace("  seed", "  clipping(norm = 1)\n  seed"), "clipping");
        assertWhy(BASE.replace("validate  xor(n = 100, noise = 0.1)", "validate  circles(n = 100, noise = 0.1)"), "validation set");
        assertWhy(BASE.replace("input  x: f32[batch, 2]", "input  x: f32[batch, 3]"), "f32[batch, 2]");
    }

    private static void assertWhy(String source, String part) {
        ProgramReader.View v = read(source);
        assertNull(v.program(), source);
        assertTrue(v.why() != null && v.why().contains(part), v.why() + "\n" + source);
    }
}

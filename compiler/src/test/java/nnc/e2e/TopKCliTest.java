package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nnc.runtime.io.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metric top_k(...)}: checked, reported per epoch, in the JSON line and by {@code nnc eval}. */
class TopKCliTest {
    @TempDir Path tmp;

    private static final String MODEL = """
            model Soft {
              input  x: f32[batch, 16]
              target y: i32[batch]
              output logits = dense(x, 8)
              loss   cross_entropy(logits, y)
              metric accuracy(logits, y)
              metric top_k(logits, y, k = 3)
            }
            train {
              data      gaussians(n = 400, dim = 16, classes = 8, noise = 1)
              validate  gaussians(n = 200, dim = 16, classes = 8, noise = 1)
              optimizer sgd(lr = 0.1)
              batch     20
              epochs    2
              seed      1
            }
            """;

    @Test
    @SuppressWarnings("unchecked")
    void topKIsAtLeastAccuracyEverywhereItIsReported() throws Exception {
        Path f = tmp.resolve("soft.nn");
        Files.writeString(f, MODEL);
        Path params = tmp.resolve("p.safetensors");
        CliTest.Result r = CliTest.nnc("train", f.toString(), "--json", "--save", params.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("val_top_k "), r.out());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(last);
        double top3 = ((Number) json.get("val_top_k_accuracy")).doubleValue(), acc = ((Number) json.get("val_accuracy")).doubleValue();
        assertTrue(top3 >= acc && top3 <= 1 && top3 > 0, last);

        CliTest.Result e = CliTest.nnc("eval", f.toString(), "--params", params.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("top-3 accuracy"), e.out());
        Map<String, Object> ej = (Map<String, Object>) JsonParser.parse(e.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(3, ((Number) ej.get("top_k")).intValue());
        assertEquals(top3, ((Number) ej.get("top_k_accuracy")).doubleValue(), 1e-12, "eval of the saved parameters = train's final figure");
    }

    @Test
    void earlyStoppingCanMonitorTopK() throws Exception {
        Path f = tmp.resolve("es.nn");
        Files.writeString(f, MODEL.replace("  seed      1\n", "  seed      1\n  early_stopping(patience = 1, monitor = val_top_k)\n").replace("epochs    2", "epochs    6"));
        CliTest.Result r = CliTest.nnc("train", f.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("\"val_top_k_accuracy\""), last);

        Path g = tmp.resolve("es2.nn");
        Files.writeString(g, MODEL.replace("  metric top_k(logits, y, k = 3)\n", "")
                .replace("  seed      1\n", "  seed      1\n  early_stopping(patience = 1, monitor = val_top_k)\n"));
        CliTest.Result e = CliTest.nnc("train", g.toString());
        assertEquals(1, e.code());
        assertTrue(e.err().contains("early stopping monitors val_top_k"), e.err());
    }
}

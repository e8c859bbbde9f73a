package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import nnc.runtime.io.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train --report DIR} and the JSON line's run summary. */
class ReportCliTest {
    @TempDir Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void playgroundReportHasCurvesAndADecisionBoundary() throws Exception {
        Path dir = tmp.resolve("report");
        CliTest.Result r = CliTest.nnc("train", Samples.file("playground").toString(), "--epochs", "3", "--report", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("metrics.csv", "loss.png", "accuracy.png", "decision_boundary.png"))
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        assertEquals(4, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header and one row per epoch");
        assertEquals(400, ImageIO.read(dir.resolve("decision_boundary.png").toFile()).getWidth());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(last);
        assertEquals(3, ((Number) json.get("epochs_run")).intValue());
        assertEquals(false, json.get("stopped_early"));
        assertTrue(json.containsKey("best_epoch"), last);
    }

    @Test
    void anUnwritableReportDirectoryIsAUserError() throws Exception {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        CliTest.Result r = CliTest.nnc("train", Samples.file("playground").toString(), "--epochs", "1", "--report", file.resolve("sub").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot write the report"), r.err());
        assertTrue(!r.err().contains("at nnc."), r.err());
    }
}

package nnc.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import nnc.cli.Run;
import nnc.passes.SampleModules;
import nnc.runtime.io.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code nnc bench --profile}: the table and its JSON, and the combinations it refuses. */
class BenchProfileCliTest {
    private static String sample(String name) { return SampleModules.samplesDir().resolve(name + ".nn").toString(); }

    @Test
    void jsonHasOneRowPerKernelSharesSummingToAHundred() {
        Run.Result r = Run.nnc("bench", sample("fashion_mlp"), "--profile", "--json", "--batch", "4", "--seconds", "0.1", "--threads", "1",
                "--backend", "java");
        assertEquals(0, r.code(), r.toString());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, "one JSON object: " + r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(lines[0]);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("rows");
        assertEquals(SampleModules.stages("fashion_mlp").program().entry("train").kernels().size(), rows.size());
        assertEquals(100, rows.stream().mapToDouble(x -> ((Number) x.get("share_pct")).doubleValue()).sum(), 1e-6);
        double sum = rows.stream().mapToDouble(x -> ((Number) x.get("us_per_step")).doubleValue()).sum();
        assertEquals(sum, ((Number) json.get("kernel_sum_us")).doubleValue(), 1e-6 * sum);
        assertTrue(((Number) json.get("uninstrumented_step_us")).doubleValue() > 0, r.out());
        assertEquals("java", json.get("backend"));
        assertEquals(4L, json.get("batch"));
        for (Map<String, Object> row : rows)
            assertTrue(row.containsKey("gflop_per_s") != row.containsKey("gb_per_s") && row.get("file").equals("fashion_mlp.nn"), row.toString());
    }

    @Test
    void theTableHasAHeadingARowPerKernelAndTheFooter() {
        Run.Result r = Run.nnc("bench", sample("playground"), "--profile", "--seconds", "0.1", "--threads", "1");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        int kernels = SampleModules.stages("playground").program().entry("train").kernels().size();
        assertTrue(lines.get(0).startsWith("Playground: ") && lines.get(0).contains("steps/s"), "the bench line first: " + r.out());
        assertTrue(lines.get(2).strip().startsWith("share") && lines.get(2).contains("kernel"), r.out());
        assertEquals(kernels, lines.stream().filter(l -> l.contains("playground.nn:")).count(), r.out());
        assertTrue(lines.get(3 + kernels).startsWith("sum of kernels"), r.out());
        assertTrue(lines.get(4 + kernels).startsWith("unprofiled step"), r.out());
    }

    @ParameterizedTest
    @CsvSource({"--backend, interp, use --backend java or bytecode", "--check-numerics, full, drop --check-numerics=full"})
    void badCombinationsAreUsageErrors(String flag, String value, String message) {
        Run.Result r = Run.nnc("bench", sample("playground"), "--profile", flag, value);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("at nnc."), r.err());
    }
}

package nnc.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.cli.Main;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.Test;

/** {@code nnc compile --stats [--json]} and {@code --memory-budget}, against hand-computed sizes. */
class CompileStatsTest {
    record Run(int code, String out, String err) {}

    static Run nnc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static String fashion() { return SampleModules.samplesDir().resolve("fashion_mlp.nn").toString(); }

    static long key(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void jsonHasEveryKeyWithHandComputedTensorSizes() {
        Run r = nnc("compile", fashion(), "--stats", "--json");
        assertEquals(0, r.code(), r.err());
        String line = r.out().strip();
        assertEquals(1, line.lines().count(), line);
        // 784·128 + 128 + 128·10 + 10 parameters; Adam keeps m and v of each, plus the step count
        assertEquals(4L * (784 * 128 + 128 + 128 * 10 + 10), key(line, "param_bytes"));
        assertEquals(4L * (2 * (784 * 128 + 128 + 128 * 10 + 10) + 1), key(line, "state_bytes"));
        // the backward pass reads, at batch 64: the hidden activation [64,128] (not the pre-activation:
        // relu's mask is taken from its output), the exp(logits − max) and the one-hot [64,10], and the
        // row sum [64] (no gradient flows through the row max, so neither it nor the logits are read)
        assertEquals(4L * (64 * 128 + 2 * 64 * 10 + 64), key(line, "saved_bytes"));
        assertTrue(key(line, "kernels_after") < key(line, "kernels_before"), line);
        assertTrue(key(line, "arena_bytes") * 2 <= key(line, "naive_bytes"), line);
        // at least the largest intermediate, the [784,128] weight gradient, needs its own storage
        assertTrue(key(line, "arena_bytes") >= 4L * 784 * 128, line);
    }

    @Test
    void textStatsNeedNoOutputDirectory() {
        Run r = nnc("compile", fashion(), "--stats");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kernels: ") && r.out().contains("planned arena"), r.out());
        // fashion_mlp's train step: 2 forward, 1 backward-data and 2 weight-gradient products, each with
        // an epilogue (bias and activation; the activation's derivative and the bias gradient; Adam)
        assertTrue(r.out().contains("5 matmul (5 with an epilogue)"), r.out());
    }

    @Test
    void memoryBudgetBelowThePlanFailsWithADiagnostic() {
        long arena = CompileStats.of(SampleModules.stages("fashion_mlp").optimized(),
                SampleModules.stages("fashion_mlp").program(), 64).arenaBytes();
        Run over = nnc("compile", fashion(), "--memory-budget", Long.toString(arena - 1));
        assertEquals(1, over.code(), over.err());
        assertTrue(over.err().contains("fashion_mlp.nn: error: the memory plan needs " + arena + " bytes"), over.err());
        assertTrue(!over.err().contains("Exception"), over.err());
        Run fits = nnc("compile", fashion(), "--memory-budget", Long.toString(arena), "--stats");
        assertEquals(0, fits.code(), fits.err());
    }

    @Test
    void withoutStatsAnOutputDirectoryIsRequired() {
        Run r = nnc("compile", fashion());
        assertEquals(2, r.code(), "a usage error");
        assertTrue(r.err().contains("missing -o DIR"), r.err());
    }
}

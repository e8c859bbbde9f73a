package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nnc.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Past the checker: seeded mutations of every sample that still check must also lower,
 * differentiate, optimise, schedule and emit — a program the checker accepts never meets an
 * internal error (exit code 70) in a later stage.
 */
class PipelineRobustnessTest {
    private static final List<String> EDITS = List.of("relu(", "sigmoid(", "tanh(", "exp(", "-", "2 * ", "0.5 + ", "sum(", "mean(",
            "softmax(", "log_softmax(", "transpose(", "abs(", "sqrt(", "gelu(", "leaky_relu(", "layer_norm(", "flatten(");

    @TempDir Path tmp;

    @Test
    void mutatedSamplesThatCheckAlsoCompile() throws IOException {
        Random r = new Random(5);
        List<String> failures = new ArrayList<>();
        int compiled = 0;
        try (var files = Files.list(Samples.dir())) {
            for (Path sample : files.filter(p -> p.toString().endsWith(".nn")).sorted().toList()) {
                String text = Files.readString(sample);
                for (int k = 0; k < 12; k++) {
                    String mutated = mutate(text, r);
                    Path f = tmp.resolve("m" + k + "_" + sample.getFileName());
                    Files.writeString(f, mutated);
                    StringWriter out = new StringWriter(), err = new StringWriter();
                    int code = Main.run(new String[] {"compile", f.toString(), "--emit", "class", "-o", tmp.resolve("out").toString()},
                            new PrintWriter(out, true), new PrintWriter(err, true));
                    if (code == 0) compiled++;
                    if (code == 70 || err.toString().contains("Exception"))
                        failures.add(sample.getFileName() + " #" + k + " exit " + code + ":\n" + mutated + "\n" + err);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " internal errors, first:\n" + (failures.isEmpty() ? "" : failures.get(0)));
        assertTrue(compiled > 20, "enough mutants still compile to test the later stages: " + compiled);
    }

    /** Wraps one right-hand side of a binding in a function call or an arithmetic prefix. */
    private static String mutate(String text, Random r) {
        List<Integer> starts = new ArrayList<>();
        for (int i = text.indexOf(" = "); i >= 0; i = text.indexOf(" = ", i + 1)) starts.add(i + 3);
        if (starts.isEmpty()) return text;
        int at = starts.get(r.nextInt(starts.size()));
        int end = text.indexOf('\n', at);
        if (end < 0) end = text.length();
        int comment = text.indexOf("//", at);
        if (comment >= 0 && comment < end) end = comment;
        String rhs = text.substring(at, end).stripTrailing();
        if (rhs.isEmpty() || rhs.startsWith("\"") || Character.isDigit(rhs.charAt(0))) return text;
        String edit = EDITS.get(r.nextInt(EDITS.size()));
        String wrapped = edit.endsWith("(") ? edit + rhs + ")" : edit + "(" + rhs + ")";
        return text.substring(0, at) + wrapped + text.substring(at + rhs.length());
    }
}

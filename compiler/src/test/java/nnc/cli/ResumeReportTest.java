package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A resumed run's report covers the whole run; checkpoints that no run can have written are refused. */
class ResumeReportTest {
    @TempDir Path tmp;

    /** metrics.csv without its timing columns (seconds, samples_per_s). */
    static List<String> withoutTiming(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] c = line.split(",", -1);
            out.add(String.join(",", c[0], c[1], c[2], c[3], c[4], c[7]));
        }
        return out;
    }

    @Test
    void theReportOfAResumedRunIsTheWholeRun() throws Exception {
        Path model = Run.small(tmp, 6);
        Run.Result whole = Run.nnc("train", model, "--report", tmp.resolve("a"));
        assertEquals(0, whole.code(), whole.toString());
        Path ck = tmp.resolve("ck");
        assertEquals(0, Run.nnc("train", model, "--epochs", 3, "--checkpoint", ck).code());
        Run.Result resumed = Run.nnc("train", model, "--resume", ck, "--every", 5, "--report", tmp.resolve("b"));
        assertEquals(0, resumed.code(), resumed.toString());
        List<String> a = withoutTiming(tmp.resolve("a/metrics.csv")), b = withoutTiming(tmp.resolve("b/metrics.csv"));
        assertEquals(7, a.size(), "header and 6 epochs");
        assertEquals(a, b);
    }

    @Test
    void aRunKilledWithSignal9ResumesWithTheWholeReport() throws Exception {
        Path model = Run.small(tmp, 150);
        Path ck = tmp.resolve("ck");
        Process p = new ProcessBuilder(java(), "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "nnc.cli.Main", "train", model.toString(), "--checkpoint", ck.toString(), "--every", "1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path last = ck.resolve("last.safetensors");
        long waited = 0;
        while (!Files.exists(last) && p.isAlive() && waited < 120_000) { // it writes a checkpoint every step: kill it mid-run
            Thread.sleep(20);
            waited += 20;
        }
        Thread.sleep(200);
        assertTrue(p.isAlive(), "still training when killed: " + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String epochAtKill = SafeTensors.read(last).metadata().get("nnc.epoch");

        Run.Result resumed = Run.nnc("train", model, "--resume", ck, "--report", tmp.resolve("b"));
        assertEquals(0, resumed.code(), resumed.toString());
        Run.Result whole = Run.nnc("train", model, "--report", tmp.resolve("a"));
        assertEquals(0, whole.code(), whole.toString());
        assertEquals(withoutTiming(tmp.resolve("a/metrics.csv")), withoutTiming(tmp.resolve("b/metrics.csv")), "killed after epoch " + epochAtKill);
        try (var files = Files.list(ck)) {
            assertEquals(List.of(last), files.toList(), "no temporary file of the killed run is left");
        }
    }

    private static String java() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }

    /** Rewrites one metadata key of the checkpoint in {@code ck} (null: removes it). */
    private static void edit(Path ck, String key, String value) {
        Path f = ck.resolve("last.safetensors");
        TensorFile tf = SafeTensors.read(f);
        Map<String, String> meta = new HashMap<>(tf.metadata());
        if (value == null) meta.remove(key);
        else meta.put(key, value);
        SafeTensors.write(f, tf.tensors().values(), meta);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nnc.step_in_epoch | 40    | metadata nnc.step_in_epoch is 40, but an epoch has 13 steps",
            "nnc.epoch         | 9     | metadata nnc.epoch is 9, beyond the 4 epochs this run is configured for",
            "nnc.steps         | 27    | metadata nnc.steps is 27, but 2 epochs of 13 steps and 0 more make 26",
            "nnc.loss_sum      | NaN   | metadata nnc.loss_sum is NaN, not a finite number",
            "nnc.loss_sum      | -0x1p0 | metadata nnc.loss_sum is -1.0, but no step of the epoch is done (it must be 0)",
            "nnc.correct       | 7     | metadata nnc.correct is 7, but no step of the epoch is done (it must be 0)",
            "nnc.best_epoch    | 3     | metadata nnc.best_epoch is 3, beyond the 2 epochs done",
            "nnc.history       | 1,0x1p0,NaN,NaN,NaN,0x0p0,0x0p0,NaN | metadata nnc.history is a history of 1 epochs, but nnc.epoch is 2",
            "nnc.history       | 1,x;2,y | metadata nnc.history, entry 1 '1,x': it has 2 fields, not 8",
            "nnc.steps         |       | not an nnc checkpoint: metadata nnc.steps is missing",
            "nnc.has_best      |       | not an nnc checkpoint: metadata nnc.has_best is missing",
    })
    void anInconsistentCheckpointIsRefusedNamingTheKey(String key, String value, String message) throws Exception {
        Path model = Run.small(tmp, 4);
        Path ck = tmp.resolve("ck");
        assertEquals(0, Run.nnc("train", model, "--epochs", 2, "--checkpoint", ck).code());
        edit(ck, key, value);
        Run.Result r = Run.nnc("train", model, "--resume", ck);
        assertEquals(1, r.code(), r.toString());
        assertEquals(ck.resolve("last.safetensors") + ": error: " + (message.startsWith("not") ? "" : "inconsistent checkpoint: ") + message,
                r.err().strip(), r.toString());
        assertFalse(r.out().contains("epoch 3"), "nothing trained: " + r);
    }
}

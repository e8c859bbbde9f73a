package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small findings of the fuzzer: an empty file, {@code monitor = loss}, permission errors without a reason, a garbled message. */
class FuzzFindingsTest {
    @TempDir Path tmp;

    @Test
    void checkOfAnEmptyFileSaysItDefinesNoModel() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.nn"), "");
        Run.Result r = Run.nnc("check", empty);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith(empty + ":1:1: error: the file defines no model"), r.toString());
        Run.Result json = Run.nnc("check", "--format", "json", empty);
        assertEquals(1, json.code(), json.toString());
        assertTrue(json.out().contains("the file defines no model"), json.toString());
        Path onlyFn = Files.writeString(tmp.resolve("fn.nn"), "fn twice(x: f32[batch, 1]) -> f32[batch, 1] {\n  return 2 * x\n}\n");
        assertEquals(1, Run.nnc("check", onlyFn).code(), "functions alone are no model either");
        Run.Result train = Run.nnc("train", empty);
        assertEquals(1, train.code());
        assertTrue(train.err().contains("the file defines no model"), train.toString());
    }

    @Test
    void earlyStoppingMonitorsTheTrainingLoss() throws Exception {
        Path model = Run.model(tmp, "es", """
                  data circles(n = 200, noise = 0.1)
                  optimizer sgd(lr = 0.5)
                  batch 16
                  epochs 4
                  early_stopping(patience = 2, monitor = loss)""");
        Run.Result r = Run.nnc("train", model, "--json");
        assertEquals(0, r.code(), r.toString());
        // training losses 0.701958, 0.699088, 0.701234, 0.706912: the lowest is epoch 2's, two epochs without improvement stop the run
        assertTrue(r.out().contains("\"best_epoch\":2,\"stopped_early\":true"), r.toString());
        assertTrue(r.out().contains("early stopping: no improvement of loss for 2 epochs; restored the parameters of epoch 2"), r.toString());
        Path typo = Run.model(tmp, "typo", "  data circles(n = 20)\n  early_stopping(monitor = los)");
        Run.Result bad = Run.nnc("check", typo);
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("monitor must be one of val_loss, val_accuracy, val_top_k, loss, accuracy"), bad.toString());
    }

    @Test
    void anUnreadableModelFileGivesTheReason() throws Exception {
        Path f = Files.writeString(tmp.resolve("secret.nn"), "model M {}\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        boolean privileged = Files.isReadable(f); // root reads it anyway
        Run.Result r = Run.nnc("check", f);
        if (!privileged) {
            assertEquals(1, r.code());
            assertEquals(f + ": error: cannot read the file: permission denied", r.err().strip());
        }
        Path dir = Files.createDirectories(tmp.resolve("dir.nn"));
        Run.Result d = Run.nnc("check", dir);
        assertEquals(1, d.code());
        assertEquals(dir + ": error: cannot read the file: is a directory", d.err().strip());
    }

    @Test
    void aParamsFileForAModelWithoutParametersReadsWell() throws Exception {
        Path model = Files.writeString(tmp.resolve("noparams.nn"), """
                model Identity {
                  input  x: f32[batch, 1]
                  target y: f32[batch, 1]
                  output p = sigmoid(x)
                  loss   bce(p, y)
                }
                """);
        Path p = tmp.resolve("p.safetensors"), x = Files.writeString(tmp.resolve("x.csv"), "0.5\n");
        SafeTensors.write(p, List.of(Tensor.f32("w", new long[] {1}, new float[] {1f})));
        Run.Result r = Run.nnc("predict", model, "--params", p, "--input", x, "--out", tmp.resolve("y.csv"));
        assertEquals(1, r.code(), r.toString());
        assertEquals(p + ": error: tensor w is not a parameter of model Identity (it has no parameters)", r.err().strip());
    }
}

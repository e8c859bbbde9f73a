package nnc.train;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** Command-line flags of train and eval that do not fit: exit 1 with a message, no stack trace. */
class TrainFlagsTest {
    @TempDir Path tmp;

    @Test
    void gdTakesNoBatchFlag() throws Exception {
        var r = Run.nnc("train", Run.playground(tmp, "m", 3, "  data circles(n = 50)\n  optimizer gd(lr = 1)"), "--batch", 10);
        assertEquals(2, r.code(), "a usage error");
        assertTrue(r.err().contains("--batch has no effect with gd, which steps once per epoch on the whole training set"), r.err());
    }

    @Test
    void gdStepsOncePerEpoch() throws Exception {
        var r = Run.nnc("train", Run.playground(tmp, "m", 3, "  data circles(n = 50)\n  optimizer gd(lr = 1)\n  epochs 7"), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().contains("\"steps\":7"), r.lastLine());
        assertTrue(r.out().contains("batch 50"), r.out());
    }

    @Test
    void everyNeedsACheckpointDirectory() throws Exception {
        var r = Run.nnc("train", Run.playground(tmp, "m", 3, "  data circles(n = 50)"), "--every", 5);
        assertEquals(2, r.code(), "a usage error");
        assertTrue(r.err().contains("--every needs --checkpoint DIR"), r.err());
    }

    @Test
    void evalDataIsCheckedLikeATrainBlock() throws Exception {
        Path model = Run.playground(tmp, "m", 3, "  data circles(n = 50)\n  epochs 1");
        Path p = tmp.resolve("p.safetensors");
        assertEquals(0, Run.nnc("train", model, "--save", p).code());
        var r = Run.nnc("eval", model, "--params", p, "--data", "circls(n = 20)");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--data:2:8: error: unknown data source 'circls'") && r.err().contains("did you mean 'circles'?"), r.err());
        var missing = Run.nnc("eval", model, "--params", tmp.resolve("none.safetensors"));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("none.safetensors: error: no such file"), missing.err());
    }

    @Test
    void earlyStoppingOnAccuracyNeedsAnAccuracyMetric() throws Exception {
        Path f = tmp.resolve("reg.nn");
        Files.writeString(f, """
                model Reg {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  output z = dense(x, 1)
                  loss   mse(z, y)
                }
                train {
                  data circles(n = 50)
                  early_stopping(monitor = accuracy)
                }
                """);
        var r = Run.nnc("train", f);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("early stopping monitors accuracy but model Reg has no accuracy metric"), r.err());
    }

    @Test
    void resumingAFinishedRunTrainsNothing() throws Exception {
        Path model = Run.playground(tmp, "m", 3, "  data circles(n = 50)\n  epochs 2");
        Path ck = tmp.resolve("ck");
        assertEquals(0, Run.nnc("train", model, "--checkpoint", ck).code());
        var r = Run.nnc("train", model, "--resume", ck);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("nothing to train: the run checkpointed in " + ck + " has done its 2 epochs"), r.out());
    }
}

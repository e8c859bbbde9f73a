package nnc.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import nnc.cli.Run;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import nnc.runtime.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** {@code nnc train --save}, {@code --checkpoint DIR [--every N]} and {@code --resume DIR}. */
class SaveAndResumeTest {
    /** Adam (moments, step counter), a step schedule (the lr state) and norm clipping: everything a resume must restore. */
    static final String TRAIN = """
              data      circles(n = 300, noise = 0.1)
              optimizer adam(lr = 0.05)
              schedule  step(every = 25, gamma = 0.7)
              clipping(norm = 1.0)
              batch     16
              seed      5
            """;

    @TempDir Path tmp;

    @Test
    void saveWritesTheFinalParametersNamedAsInTheModel() throws Exception {
        Path model = Run.playground(tmp, "m", 3, TRAIN + "  epochs 2");
        Path out = tmp.resolve("p.safetensors");
        var r = Run.nnc("train", model, "--save", out, "--checkpoint", tmp.resolve("ck"));
        assertEquals(0, r.code(), r.err());
        TensorFile saved = SafeTensors.read(out);
        assertEquals(List.of("h.W", "h.b", "logits.W", "logits.b"), List.copyOf(saved.tensors().keySet()));
        assertArrayEquals(new long[] {2, 3}, saved.tensors().get("h.W").shape());
        assertArrayEquals(new long[] {1}, saved.tensors().get("logits.b").shape());
        // the checkpoint after the last epoch holds the same parameters, plus the optimiser's state
        TensorFile ck = SafeTensors.read(Checkpoint.file(tmp.resolve("ck")));
        for (Tensor t : saved.tensors().values()) assertEquals(t, ck.tensors().get(t.name()), t.name());
        assertTrue(ck.tensors().containsKey("h.W.adam_m") && ck.tensors().containsKey("h.W.adam_v"), ck.tensors().keySet().toString());
        assertEquals(38f, ck.tensors().get("step").f32()[0], "300 rows / 16 = 19 steps per epoch, 2 epochs");
        assertEquals("2", ck.metadata().get("nnc.epoch"));
        assertEquals("38", ck.metadata().get("nnc.steps"));
        assertEquals("5", ck.metadata().get("nnc.seed"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)),
                "an ordinary output file, not the private temporary file's permissions");
        try (Stream<Path> left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left behind");
        }
    }

    @ParameterizedTest(name = "every {0} steps")
    @ValueSource(ints = {0, 7})
    void oneEpochPlusResumeIsBitwiseTwoEpochs(int every) throws Exception {
        Path model = Run.playground(tmp, "m", 3, TRAIN);
        Path whole = tmp.resolve("whole.safetensors"), resumed = tmp.resolve("resumed.safetensors");
        var a = Run.nnc("train", model, "--epochs", 2, "--save", whole, "--json");
        assertEquals(0, a.code(), a.err());
        Path ck = tmp.resolve("ck");
        var b1 = every == 0 ? Run.nnc("train", model, "--epochs", 1, "--checkpoint", ck)
                : Run.nnc("train", model, "--epochs", 1, "--checkpoint", ck, "--every", every);
        assertEquals(0, b1.code(), b1.err());
        var b2 = Run.nnc("train", model, "--epochs", 2, "--resume", ck, "--save", resumed, "--json");
        assertEquals(0, b2.code(), b2.err());
        assertFalse(b2.out().contains("epoch 1/2"), "the resumed run starts at epoch 2: " + b2.out());
        assertTrue(b2.out().contains("epoch 2/2"), b2.out());
        assertEquals(SafeTensors.read(whole).tensors(), SafeTensors.read(resumed).tensors(), "bitwise the same parameters");
        assertEquals(epochLine(a.out(), 2), epochLine(b2.out(), 2), "the same loss and accuracy in epoch 2");
        assertTrue(a.lastLine().contains("\"steps\":38") && b2.lastLine().contains("\"steps\":38"), a.lastLine() + "\n" + b2.lastLine());
        // and an interrupted run differs from a fresh one-epoch run followed by a cold restart
        assertFalse(SafeTensors.read(whole).tensors().equals(SafeTensors.read(Checkpoint.file(ck)).tensors()));
    }

    private static String epochLine(String out, int epoch) {
        for (String line : out.split("\n"))
            if (line.startsWith("epoch " + epoch + "/")) return line.replaceAll("  [0-9,]+ samples/s", "");
        throw new AssertionError("no epoch " + epoch + " line in " + out);
    }

    @Test
    void corruptCheckpointIsReportedWithItsFileName() throws Exception {
        Path model = Run.playground(tmp, "m", 3, TRAIN + "  epochs 1");
        Path ck = tmp.resolve("ck");
        assertEquals(0, Run.nnc("train", model, "--checkpoint", ck).code());
        byte[] bytes = Files.readAllBytes(Checkpoint.file(ck));
        Files.write(Checkpoint.file(ck), Arrays.copyOf(bytes, bytes.length - 10));
        var r = Run.nnc("train", model, "--epochs", 2, "--resume", ck);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith(Checkpoint.file(ck) + ": error: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void checkpointOfAnotherModelNamesTheTensor() throws Exception {
        Path ck = tmp.resolve("ck");
        assertEquals(0, Run.nnc("train", Run.playground(tmp, "four", 4, TRAIN + "  epochs 1"), "--checkpoint", ck).code());
        var r = Run.nnc("train", Run.playground(tmp, "three", 3, TRAIN + "  epochs 2"), "--resume", ck);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(Checkpoint.file(ck).toString()) && r.err().contains("tensor h.W has shape [2, 4], the model's h.W is f32[2,3]"), r.err());
    }

    @Test
    void checkpointOfAnotherSeedOrBatchIsRefused() throws Exception {
        Path model = Run.playground(tmp, "m", 3, TRAIN + "  epochs 1");
        Path ck = tmp.resolve("ck");
        assertEquals(0, Run.nnc("train", model, "--checkpoint", ck).code());
        var seed = Run.nnc("train", model, "--epochs", 2, "--seed", 6, "--resume", ck);
        assertEquals(1, seed.code());
        assertTrue(seed.err().contains("the checkpoint was written with seed 5, this run has 6"), seed.err());
        var batch = Run.nnc("train", model, "--epochs", 2, "--batch", 8, "--resume", ck);
        assertEquals(1, batch.code());
        assertTrue(batch.err().contains("batch 16, this run has 8"), batch.err());
        var missing = Run.nnc("train", model, "--resume", tmp.resolve("nowhere"));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nowhere/last.safetensors: error: no such file"), missing.err());
    }
}

package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/fashion_cnn_bn.nn (conv → batch_norm → relu → pool, twice, then dense) trains on
 * Fashion-MNIST, and {@code nnc eval} of the saved parameters and running statistics reproduces
 * training's last validation exactly: evaluate uses the saved running statistics, as validation did.
 * One epoch (the sample's ten take about eight minutes; its first of ten reached 0.8715, the tenth
 * 0.9239; a one-epoch run, whose cosine decay ends within the epoch, 0.8813).
 */
class FashionCnnBnTest {
    @TempDir Path tmp;

    @Test
    void oneEpochReaches87PercentAndEvalReproducesTheValidation() {
        assertTrue(Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "the Fashion-MNIST files are missing: install the Debian package dataset-fashion-mnist (./run-tests does)");
        Path saved = tmp.resolve("cnn.safetensors");
        String model = Samples.file("fashion_cnn_bn").toString();
        var r = CliTest.nnc("train", model, "--epochs", "1", "--save", saved.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        String json = TrainingTest.lastLine(r.out());
        System.out.println(json);
        assertTrue(TrainingTest.field(json, "val_accuracy") >= 0.87, json);

        var e = CliTest.nnc("eval", model, "--params", saved.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        String eval = TrainingTest.lastLine(e.out());
        assertEquals(TrainingTest.field(json, "val_accuracy"), TrainingTest.field(eval, "accuracy"), eval);
        assertEquals(TrainingTest.field(json, "val_loss"), TrainingTest.field(eval, "loss"), eval);
    }
}

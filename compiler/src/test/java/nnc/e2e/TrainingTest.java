package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The samples train to their stated accuracy with every back end (issue 2's acceptance). */
class TrainingTest {
    static double field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Double.parseDouble(m.group(1));
    }

    static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "java", "bytecode"})
    void playgroundReaches97Percent(String backend) {
        var r = CliTest.nnc("train", Samples.file("playground").toString(), "--backend", backend, "--json");
        assertEquals(0, r.code(), r.err());
        String json = lastLine(r.out());
        assertTrue(field(json, "train_accuracy") >= 0.97, json);
        assertEquals(10000, (int) field(json, "steps"), json); // 1000 rows / batch 10 × 100 epochs
        assertTrue(json.contains("\"backend\":\"" + backend + "\""), json);
    }

    /** DSL §1 on a CSV of 200 houses whose prices carry Gaussian noise of σ = 0.15: the MSE floor is 0.0225. */
    @ParameterizedTest
    @ValueSource(strings = {"interp", "java", "bytecode"})
    void housingFitsDownToTheNoise(String backend) {
        var r = CliTest.nnc("train", Samples.file("housing").toString(), "--backend", backend, "--json");
        assertEquals(0, r.code(), r.err());
        String json = lastLine(r.out());
        assertTrue(field(json, "final_loss") < 0.03, json);
        assertTrue(json.contains("\"train_accuracy\":null"), "a regression has no accuracy: " + json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "java", "bytecode"})
    void fashionMlpOneEpochReaches82Percent(String backend) {
        assertTrue(Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "the Fashion-MNIST files are missing: install the Debian package dataset-fashion-mnist (./run-tests does)");
        var r = CliTest.nnc("train", Samples.file("fashion_mlp").toString(), "--backend", backend, "--epochs", "1", "--json");
        assertEquals(0, r.code(), r.err());
        String json = lastLine(r.out());
        assertTrue(field(json, "val_accuracy") >= 0.82, json);
    }
}

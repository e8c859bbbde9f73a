package nnc.train;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.cli.Run;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** {@code nnc eval} and {@code nnc predict} on parameters written by {@code nnc train --save}. */
class EvalAndPredictTest {
    @TempDir Path tmp;
    Path model, params;
    String trainJson;

    @BeforeEach
    void train() throws Exception {
        model = Run.playground(tmp, "m", 3, """
                  data      circles(n = 400, noise = 0.1)
                  validate  circles(n = 150, noise = 0.1)
                  optimizer adam(lr = 0.05)
                  batch     20
                  epochs    8
                  seed      3
                """);
        params = tmp.resolve("p.safetensors");
        var r = Run.nnc("train", model, "--save", params, "--json");
        assertEquals(0, r.code(), r.err());
        trainJson = r.lastLine();
    }

    @Test
    void evalOfSavedParametersGivesTrainsValidationFigures() {
        var r = Run.nnc("eval", model, "--params", params, "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("on the validation set (150 samples)"), r.out());
        assertEquals(JsonField.of(trainJson, "val_loss"), JsonField.of(r.lastLine(), "loss"), r.lastLine());
        assertEquals(JsonField.of(trainJson, "val_accuracy"), JsonField.of(r.lastLine(), "accuracy"), r.lastLine());
        var explicit = Run.nnc("eval", model, "--params", params, "--data", "circles(n = 150, noise = 0.1)", "--json");
        assertEquals(0, explicit.code(), explicit.err());
        assertEquals(r.lastLine(), explicit.lastLine(), "--data with the validate source draws the same set");
    }

    @Test
    void predictComputesTheForwardPassOfTheSavedParameters() throws Exception {
        Path x = tmp.resolve("x.csv"), y = tmp.resolve("y.csv");
        float[][] rows = {{0.1f, 0.2f}, {1.5f, 0f}, {-0.7f, 0.9f}};
        StringBuilder csv = new StringBuilder("a,b\n");
        for (float[] row : rows) csv.append(row[0]).append(',').append(row[1]).append('\n');
        Files.writeString(x, csv);
        var r = Run.nnc("predict", model, "--params", params, "--input", x, "--out", y);
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(y);
        assertEquals("p", lines.get(0));
        assertEquals(rows.length + 1, lines.size());
        TensorFile p = SafeTensors.read(params);
        for (int i = 0; i < rows.length; i++) {
            double want = forward(p, rows[i]);
            double got = Double.parseDouble(lines.get(i + 1));
            assertEquals(want, got, 1e-6, "row " + i);
        }
        // the same values as an IDX file of bytes with a scale: 0..255 · (1/100)
        Path idx = tmp.resolve("x-ubyte"), y2 = tmp.resolve("y2.csv");
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4);
        b.putInt(0x00000802).putInt(2).putInt(2).put(new byte[] {10, 20, (byte) 150, 0});
        Files.write(idx, b.array());
        var r2 = Run.nnc("predict", model, "--params", params, "--input", idx, "--scale", "0.01", "--out", y2);
        assertEquals(0, r2.code(), r2.err());
        List<String> fromIdx = Files.readAllLines(y2);
        assertEquals(3, fromIdx.size());
        assertEquals(forward(p, new float[] {10 * 0.01f, 20 * 0.01f}), Double.parseDouble(fromIdx.get(1)), 1e-6);
        assertEquals(forward(p, new float[] {150 * 0.01f, 0f}), Double.parseDouble(fromIdx.get(2)), 1e-6);
    }

    /** p = σ(σ(x·W_h + b_h)·W_l + b_l) in double, from the saved tensors. */
    private static double forward(TensorFile p, float[] x) {
        float[] hw = p.tensors().get("h.W").f32(), hb = p.tensors().get("h.b").f32();
        float[] lw = p.tensors().get("logits.W").f32(), lb = p.tensors().get("logits.b").f32();
        double z = lb[0];
        for (int j = 0; j < 3; j++) {
            double a = hb[j] + x[0] * (double) hw[j] + x[1] * (double) hw[3 + j];
            z += lw[j] / (1 + Math.exp(-a));
        }
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void parametersOfAnotherModelNameTheTensor() throws Exception {
        Path other = Run.playground(tmp, "five", 5, "  data circles(n = 50)");
        var r = Run.nnc("eval", other, "--params", params);
        assertEquals(1, r.code());
        assertTrue(r.err().contains(params + ": error: tensor h.W has shape [2, 3], the model's h.W is f32[2,5]"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void inputOfTheWrongWidthIsAUserError() throws Exception {
        Path x = tmp.resolve("x.csv");
        Files.writeString(x, "1,2,3\n");
        var r = Run.nnc("predict", model, "--params", params, "--input", x, "--out", tmp.resolve("y.csv"));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("its rows have 3 values, the model's input x is f32[batch,2]"), r.err());
        Files.writeString(x, "1,2\n3,oops\n");
        var bad = Run.nnc("predict", model, "--params", params, "--input", x, "--out", tmp.resolve("y.csv"));
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains(x + ":2: column 2: 'oops' is not a finite number"), bad.err());
    }

    /** Reads a number field of a JSON line. */
    static final class JsonField {
        static double of(String json, String key) {
            Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
            assertTrue(m.find(), key + " missing in " + json);
            return Double.parseDouble(m.group(1));
        }
    }
}

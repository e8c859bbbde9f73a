package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.runtime.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code csv(..., normalize = true)} end to end: {@code nnc predict} standardises new inputs with
 * the training file's statistics, so its output is {@code relu(((x − mean)/std)·w + b)} with the
 * mean and population std of the training column, computed here independently.
 */
class NormalizedCsvCliTest {
    @TempDir Path tmp;

    @Test
    void predictStandardisesNewInputsWithTheTrainingStatistics() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        Files.copy(Samples.dir().resolve("data/housing.csv"), tmp.resolve("data/housing.csv"));
        Path model = tmp.resolve("h.nn");
        Files.writeString(model, Files.readString(Samples.file("housing"))
                .replace("label = \"price\")", "label = \"price\", normalize = true)"));
        Path params = tmp.resolve("p.safetensors"), in = tmp.resolve("x.csv"), out = tmp.resolve("y.csv");
        CliTest.Result t = CliTest.nnc("train", model.toString(), "--epochs", "5", "--save", params.toString());
        assertEquals(0, t.code(), t.err());
        Files.writeString(in, "size\n1.5\n2.5\n");
        CliTest.Result p = CliTest.nnc("predict", model.toString(), "--params", params.toString(), "--input", in.toString(), "--out", out.toString());
        assertEquals(0, p.code(), p.err());

        List<String> rows = Files.readAllLines(tmp.resolve("data/housing.csv"));
        double sum = 0, sq = 0;
        int n = rows.size() - 1;
        for (String r : rows.subList(1, rows.size())) sum += Float.parseFloat(r.split(",")[0]);
        float mean = (float) (sum / n);
        for (String r : rows.subList(1, rows.size())) {
            double d = Float.parseFloat(r.split(",")[0]) - (double) mean;
            sq += d * d;
        }
        float std = (float) Math.sqrt(sq / n);
        var saved = SafeTensors.read(params);
        float w = saved.find("w").orElseThrow().f32()[0], b = saved.find("b").orElseThrow().f32()[0];
        List<String> y = Files.readAllLines(out);
        float[] xs = {1.5f, 2.5f};
        for (int i = 0; i < 2; i++)
            assertEquals(Math.max(((xs[i] - mean) / std) * w + b, 0f), Float.parseFloat(y.get(i + 1)), 1e-5, "row " + i);
    }
}

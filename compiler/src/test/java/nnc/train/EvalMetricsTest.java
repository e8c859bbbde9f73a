package nnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nnc.cli.Run;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.optim.TrainBlocks;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.io.JsonParser;
import nnc.runtime.io.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc eval --json}'s classification and regression metrics against the same figures
 * computed here from the saved model's predictions, one row at a time.
 */
class EvalMetricsTest {
    @TempDir Path tmp;

    private Map<String, Object> trainAndEval(String name, String text) throws Exception {
        Path file = tmp.resolve(name + ".nn"), saved = tmp.resolve(name + ".safetensors");
        Files.writeString(file, text);
        Run.Result t = Run.nnc("train", file, "--save", saved);
        assertEquals(0, t.code(), t.toString());
        Run.Result e = Run.nnc("eval", file, "--params", saved, "--json");
        assertEquals(0, e.code(), e.toString());
        @SuppressWarnings("unchecked") Map<String, Object> json = (Map<String, Object>) JsonParser.parse(e.lastLine());
        return json;
    }

    /** The saved model (bytecode back end, one row) and the validation set, as eval draws it. */
    private CompiledModel saved(String name) {
        Compilation c = Compilation.of(tmp.resolve(name + ".nn"));
        return ModelFiles.load(c.compiled(Backend.BYTECODE, 1), tmp.resolve(name + ".safetensors"));
    }

    private Dataset validation(String name) {
        return TrainBlocks.of(Compilation.of(tmp.resolve(name + ".nn")).train()).validationData(tmp);
    }

    @Test
    void aClassifiersConfusionMatrixPrecisionRecallAndF1() throws Exception {
        Map<String, Object> json = trainAndEval("Three", """
                model Three {
                  input  x: f32[batch, 2]
                  target y: i32[batch]
                  output logits = dense(relu(dense(x, 8)), 3)
                  loss   cross_entropy(logits, y)
                  metric accuracy(logits, y)
                }
                train {
                  data      gaussians(n = 300, classes = 3, noise = 1)
                  validate  gaussians(n = 200, classes = 3, noise = 1)
                  optimizer adam(lr = 0.01)
                  epochs    2
                  seed      4
                }
                """);
        CompiledModel m = saved("Three");
        Dataset v = validation("Three");
        long[][] confusion = new long[3][3];
        for (int r = 0; r < v.rows(); r++) {
            System.arraycopy(v.x(), 2 * r, m.floats("x"), m.offset("x"), 2);
            m.predict(1);
            float[] s = m.floats("logits");
            int o = m.offset("logits"), best = 0;
            for (int k = 1; k < 3; k++) if (s[o + k] > s[o + best]) best = k;
            confusion[v.classIndex()[r]][best]++;
        }
        List<List<Long>> expected = Arrays.stream(confusion).map(row -> Arrays.stream(row).boxed().toList()).toList();
        assertEquals(expected.toString(), json.get("confusion_matrix").toString());
        long trace = confusion[0][0] + confusion[1][1] + confusion[2][2];
        assertEquals((double) trace / v.rows(), ((Number) json.get("accuracy")).doubleValue(), 1e-12);
        double p = 0, rc = 0, f = 0;
        for (int k = 0; k < 3; k++) {
            long predicted = confusion[0][k] + confusion[1][k] + confusion[2][k], truth = confusion[k][0] + confusion[k][1] + confusion[k][2];
            p += (double) confusion[k][k] / predicted;
            rc += (double) confusion[k][k] / truth;
            f += 2.0 * confusion[k][k] / (predicted + truth);
        }
        assertEquals(p / 3, ((Number) json.get("precision")).doubleValue(), 1e-12);
        assertEquals(rc / 3, ((Number) json.get("recall")).doubleValue(), 1e-12);
        assertEquals(f / 3, ((Number) json.get("f1")).doubleValue(), 1e-12);
        assertTrue(p / 3 < 1 && trace < v.rows(), "noise 1 leaves some points on the wrong side: a matrix with off-diagonal counts");
    }

    @Test
    void aRegressionModelsMaeRmseAndR2() throws Exception {
        Map<String, Object> json = trainAndEval("Fit", """
                model Fit {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  output pred = dense(tanh(dense(x, 8)), 1)
                  loss   mse(pred, y)
                }
                train {
                  data      circles(n = 300, noise = 0.1)
                  validate  circles(n = 150, noise = 0.1)
                  optimizer adam(lr = 0.01)
                  epochs    3
                  seed      2
                }
                """);
        CompiledModel m = saved("Fit");
        Dataset v = validation("Fit");
        double abs = 0, sq = 0, sum = 0;
        for (int r = 0; r < v.rows(); r++) {
            System.arraycopy(v.x(), 2 * r, m.floats("x"), m.offset("x"), 2);
            m.predict(1);
            double y = v.classIndex()[r], e = y - m.floats("pred")[m.offset("pred")];
            abs += Math.abs(e);
            sq += e * e;
            sum += y;
        }
        double mean = sum / v.rows(), total = 0;
        for (int r = 0; r < v.rows(); r++) total += (v.classIndex()[r] - mean) * (v.classIndex()[r] - mean);
        assertEquals(abs / v.rows(), ((Number) json.get("mae")).doubleValue(), 1e-9);
        assertEquals(Math.sqrt(sq / v.rows()), ((Number) json.get("rmse")).doubleValue(), 1e-9);
        assertEquals(1 - sq / total, ((Number) json.get("r2")).doubleValue(), 1e-9);
        assertEquals(((Number) json.get("loss")).doubleValue(), Math.pow(((Number) json.get("rmse")).doubleValue(), 2), 1e-6, "mse loss = RMSE²");
    }
}

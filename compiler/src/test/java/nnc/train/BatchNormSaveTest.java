package nnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnc.cli.Run;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Datasets;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;
import nnc.train.EvalAndPredictTest.JsonField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch-norm model's running statistics (its inference state) travel with its parameters:
 * {@code --save} writes them, {@code nnc eval} and {@code nnc predict} read them and agree with the
 * trained model bitwise, early stopping puts back the best epoch's, and a file of parameters only
 * (as an older nnc saved) still loads, with a warning.
 */
class BatchNormSaveTest {
    static final String MODEL = """
            model Bn {
              input  x: f32[batch, 2]
              target y: f32[batch, 1]
              h      = relu(batch_norm(dense(x, 8)))
              logits = dense(h, 1)
              output p = sigmoid(logits)
              loss   bce_with_logits(logits, y)
              metric accuracy(p, y)
            }
            train {
              data      circles(n = 400, noise = 0.1)
              validate  circles(n = 150, noise = 0.1)
              optimizer adam(lr = 0.05)
              batch     20
              seed      3
            %s}
            """;
    static final List<String> STATS = List.of("h.batch_norm1.running_mean", "h.batch_norm1.running_var", "h.batch_norm1.updates");
    static final float[][] ROWS = {{0.1f, 0.2f}, {1.5f, 0f}, {-0.7f, 0.9f}, {0.3f, -1.1f}, {-1.2f, -0.4f}};

    @TempDir Path tmp;

    private Path model(String name, String trainLines) throws Exception {
        return Files.writeString(tmp.resolve(name + ".nn"), MODEL.formatted(trainLines));
    }

    /** Trains {@code file} with {@code --save FILE.safetensors --json}; returns the JSON line. */
    private static String train(Path file, Path save, Object... more) {
        List<Object> args = new ArrayList<>(List.of("train", file, "--save", save, "--json"));
        args.addAll(List.of(more));
        var r = Run.nnc(args.toArray());
        assertEquals(0, r.code(), r.toString());
        return r.lastLine();
    }

    @Test
    void evalOfTheSavedModelReproducesTrainingsValidationFiguresExactly() throws Exception {
        Path file = model("bn", "  epochs 5\n"), saved = tmp.resolve("p.safetensors");
        String trained = train(file, saved);
        TensorFile p = SafeTensors.read(saved);
        assertTrue(p.tensors().keySet().containsAll(STATS), p.tensors().keySet().toString());
        assertEquals(100f, p.tensors().get("h.batch_norm1.updates").f32()[0], "400 rows / 20 = 20 steps an epoch, 5 epochs");
        var r = Run.nnc("eval", file, "--params", saved, "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), "a whole file: no warning");
        assertEquals(JsonField.of(trained, "val_loss"), JsonField.of(r.lastLine(), "loss"), r.lastLine());
        assertEquals(JsonField.of(trained, "val_accuracy"), JsonField.of(r.lastLine(), "accuracy"), r.lastLine());
    }

    @Test
    void predictOfTheSavedModelIsBitwiseTheTrainedModelsForwardPass() throws Exception {
        Path file = model("bn", "  epochs 3\n"), saved = tmp.resolve("p.safetensors");
        train(file, saved);
        // the same run in-process, as an embedding application trains: its model is the one to agree with
        Compilation compilation = Compilation.of(file);
        TrainConfig cfg = compilation.train();
        CompiledModel m = Backend.BYTECODE.create(compilation.optimized(), cfg.batch());
        ParamInit.initialize(m, cfg.seed());
        Trainer.fit(m, Datasets.load(cfg.data(), tmp, cfg.seed()), null, new TrainOptions(3, cfg.batch(), cfg.seed(), cfg.shuffle()),
                TrainListener.NONE);
        Map<String, Tensor> written = SafeTensors.read(saved).tensors();
        List<Tensor> inMemory = ModelTensors.trained(m);
        assertEquals(inMemory.size(), written.size(), written.keySet().toString());
        for (Tensor t : inMemory) assertEquals(t, written.get(t.name()), "--save wrote the trained model's " + t.name());
        for (int i = 0; i < ROWS.length; i++) System.arraycopy(ROWS[i], 0, m.floats("x"), m.offset("x") + 2 * i, 2);
        m.predict(ROWS.length);
        List<Float> predicted = predict(file, saved, "y.csv");
        for (int i = 0; i < ROWS.length; i++)
            assertEquals(m.floats("p")[m.offset("p") + i], predicted.get(i), "row " + i + " bitwise");
        // and both are batch norm's inference formula with the saved statistics, computed here in double
        TensorFile p = SafeTensors.read(saved);
        for (int i = 0; i < ROWS.length; i++) assertEquals(forward(p, ROWS[i], true), predicted.get(i), 1e-5, "row " + i);
    }

    @Test
    void earlyStoppingPutsBackTheBestEpochsRunningStatistics() throws Exception {
        Path stopping = model("es", "  epochs 30\n  early_stopping(patience = 2, monitor = val_loss)\n");
        Path es = tmp.resolve("es.safetensors");
        String json = train(stopping, es);
        assertTrue(json.contains("\"stopped_early\":true"), json);
        int best = (int) JsonField.of(json, "best_epoch"), run = (int) JsonField.of(json, "epochs_run");
        assertTrue(best < run, json);
        // the same run without early stopping, stopped at the best epoch and at the last one
        Path plain = model("plain", "  epochs 30\n"), atBest = tmp.resolve("best.safetensors"), atEnd = tmp.resolve("end.safetensors");
        String bestJson = train(plain, atBest, "--epochs", best);
        train(plain, atEnd, "--epochs", run);
        TensorFile restored = SafeTensors.read(es), b = SafeTensors.read(atBest), e = SafeTensors.read(atEnd);
        for (String name : b.tensors().keySet()) assertEquals(b.tensors().get(name), restored.tensors().get(name), name);
        assertEquals(20f * best, restored.tensors().get("h.batch_norm1.updates").f32()[0], "the statistics after epoch " + best);
        assertNotEquals(e.tensors().get("h.batch_norm1.running_mean"), restored.tensors().get("h.batch_norm1.running_mean"),
                "the last epoch's statistics differ, so putting back the best epoch's shows");
        assertEquals(JsonField.of(bestJson, "final_loss"), JsonField.of(json, "final_loss"), "final_loss is the restored epoch's");
        assertEquals(JsonField.of(bestJson, "val_loss"), JsonField.of(json, "val_loss"));
    }

    @Test
    void aFileOfParametersOnlyLoadsWithTheStatisticsAtTheirInitialValuesAndAWarning() throws Exception {
        Path file = model("bn", "  epochs 3\n"), saved = tmp.resolve("p.safetensors"), old = tmp.resolve("old.safetensors");
        String trained = train(file, saved);
        TensorFile p = SafeTensors.read(saved);
        SafeTensors.write(old, p.tensors().values().stream().filter(t -> !STATS.contains(t.name())).toList(), Map.of("nnc.model", "Bn"));
        var r = Run.nnc("eval", file, "--params", old, "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(old + ": warning: no " + String.join(", ", STATS)
                + " (a file of parameters only, as an older nnc saved); they keep their initial values\n", r.err());
        assertNotEquals(JsonField.of(trained, "val_loss"), JsonField.of(r.lastLine(), "loss"), "fresh statistics give another loss");
        List<Float> fresh = predict(file, old, "fresh.csv");
        for (int i = 0; i < ROWS.length; i++)
            assertEquals(forward(p, ROWS[i], false), fresh.get(i), 1e-5, "row " + i + " with mean 0 and variance 1");
    }

    @Test
    void gradReadsTheSavedModel() throws Exception {
        Path file = model("bn", "  epochs 1\n"), saved = tmp.resolve("p.safetensors"), in = tmp.resolve("in.safetensors");
        train(file, saved);
        SafeTensors.write(in, List.of(Tensor.f32("x", new long[] {2, 2}, new float[] {0.1f, 0.2f, 1.5f, 0f}),
                Tensor.f32("y", new long[] {2, 1}, new float[] {1, 0})));
        var r = Run.nnc("grad", file, "--params", saved, "--inputs", in, "--out", tmp.resolve("g.safetensors"));
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.out().contains("initialised from seed"), r.out());
    }

    private List<Float> predict(Path file, Path params, String out) throws Exception {
        Path x = tmp.resolve("x.csv"), y = tmp.resolve(out);
        StringBuilder csv = new StringBuilder();
        for (float[] row : ROWS) csv.append(row[0]).append(',').append(row[1]).append('\n');
        Files.writeString(x, csv);
        var r = Run.nnc("predict", file, "--params", params, "--input", x, "--out", y);
        assertEquals(0, r.code(), r.toString());
        List<String> lines = Files.readAllLines(y);
        assertEquals("p", lines.get(0));
        return lines.subList(1, lines.size()).stream().map(Float::parseFloat).toList();
    }

    /**
     * σ(relu(γ·(x·W + b − μ)/√(σ² + 1e-5) + β)·W_l + b_l) in double, with the saved running
     * statistics or (without them) their initial values μ = 0, σ² = 1.
     */
    private static double forward(TensorFile p, float[] x, boolean withStatistics) {
        Map<String, Tensor> t = p.tensors();
        float[] w = t.get("h.dense1.W").f32(), b = t.get("h.dense1.b").f32(), gamma = t.get("h.batch_norm1.gamma").f32();
        float[] beta = t.get("h.batch_norm1.beta").f32(), lw = t.get("logits.W").f32(), lb = t.get("logits.b").f32();
        float[] mean = t.get("h.batch_norm1.running_mean").f32(), var = t.get("h.batch_norm1.running_var").f32();
        double z = lb[0];
        for (int j = 0; j < 8; j++) {
            double a = b[j] + x[0] * (double) w[j] + x[1] * (double) w[8 + j];
            double mu = withStatistics ? mean[j] : 0, v = withStatistics ? var[j] : 1;
            double h = gamma[j] * (a - mu) / Math.sqrt(v + 1e-5) + beta[j];
            z += lw[j] * Math.max(0, h);
        }
        return 1 / (1 + Math.exp(-z));
    }
}

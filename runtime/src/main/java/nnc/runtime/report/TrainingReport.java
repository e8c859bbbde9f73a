package nnc.runtime.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.io.OutputFile;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.EpochStats;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;

/**
 * {@code nnc train --report DIR}: what a training run looked like, for people.
 * <ul>
 *   <li>{@code metrics.csv}: one row per epoch ({@code epoch,train_loss,train_accuracy,val_loss,
 *       val_accuracy,seconds,samples_per_s,val_top_k_accuracy}; empty cells where a value does not exist);</li>
 *   <li>{@code loss.png}: training and validation loss per epoch;</li>
 *   <li>{@code accuracy.png}: training and validation accuracy (when the model has the metric);</li>
 *   <li>{@code decision_boundary.png}: for a two-feature classifier, the plane coloured by the
 *       predicted class with the training points on top (as the lectures' playground).</li>
 * </ul>
 * Each chart's title names the model and the quantity, the line under it the run's settings
 * ({@link Run}); {@code nnc train --report} writes the report through the same
 * {@link #write(Path, Run, TrainResult, CompiledModel, Dataset)} an application calls after
 * {@code Trainer.fit}. Each file is written as {@link OutputFile} writes files: to a temporary
 * sibling, then renamed.
 */
public final class TrainingReport {
    private static final int TRAIN_RGB = 0x1F77B4, VAL_RGB = 0xD62728;

    /** The files a report may hold. */
    private static final List<String> FILES = List.of("metrics.csv", "loss.png", "accuracy.png", "decision_boundary.png");

    private TrainingReport() {}

    /**
     * What the charts' titles say about the run.
     *
     * @param model    the model's name
     * @param settings the run's settings, one line (e.g. {@code sgd(lr=0.5), batch 10, 100 epochs, seed 1})
     */
    public record Run(String model, String settings) {
        /** The model's name and the settings {@code options} holds: batch, epochs, seed, schedule, early stopping. */
        public static Run of(CompiledModel model, TrainOptions options) {
            List<String> parts = new ArrayList<>();
            parts.add("batch " + options.batch());
            parts.add(options.epochs() + (options.epochs() == 1 ? " epoch" : " epochs"));
            parts.add("seed " + options.seed());
            if (options.schedule() != null && !options.schedule().isConstant()) parts.add("lr schedule " + options.schedule());
            EarlyStopping es = options.earlyStopping();
            if (es != null) parts.add("early stopping on " + es.monitor() + " (patience " + es.patience() + ")");
            return new Run(model.info().name(), String.join(", ", parts));
        }

        /** The same run with {@code optimizer} (e.g. {@code adam(lr=0.001)}) first in its settings. */
        public Run withOptimizer(String optimizer) {
            return new Run(model, settings.isEmpty() ? optimizer : optimizer + ", " + settings);
        }
    }

    /**
     * Writes the report of a run into {@code dir} (created if needed): the charts of
     * {@code result.runHistory()}, titled with {@code run}.
     *
     * @param model the trained model, for the decision boundary (its input and output buffers are overwritten); nullable
     * @param train the training set whose points the boundary shows; nullable
     * @return the files written, in the order of the class comment
     * @throws nnc.runtime.io.OutputFileException naming the file or directory that cannot be written
     */
    public static List<Path> write(Path dir, Run run, TrainResult result, CompiledModel model, Dataset train) throws IOException {
        return write(dir, run, result.runHistory(), model, train);
    }

    /** Checks, before a run, that {@link #write} will be able to write into {@code dir}; problems name the path and the reason. */
    public static void check(Path dir) {
        OutputFile.checkDirectory(dir);
        if (Files.isDirectory(dir)) for (String f : FILES) OutputFile.check(dir.resolve(f), 0);
    }

    /**
     * Writes the report of {@code history} (one entry per epoch) into {@code dir} (created if needed).
     *
     * @param model the trained model, for the decision boundary (its input and output buffers are overwritten); nullable
     * @param train the training set whose points the boundary shows; nullable
     * @return the files written, in the order of the class comment
     * @throws nnc.runtime.io.OutputFileException naming the file or directory that cannot be written
     */
    public static List<Path> write(Path dir, Run run, List<EpochStats> history, CompiledModel model, Dataset train) throws IOException {
        OutputFile.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        written.add(atomically(dir.resolve("metrics.csv"), csv(history).getBytes(StandardCharsets.UTF_8)));
        double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
        double[] trainLoss = history.stream().mapToDouble(EpochStats::trainLoss).toArray();
        double[] valLoss = history.stream().mapToDouble(EpochStats::valLoss).toArray();
        written.add(atomically(dir.resolve("loss.png"), png(LineChart.render(new LineChart.Spec(run.model() + ": loss per epoch",
                run.settings(), "epoch", "loss", epochs, List.of(
                new LineChart.Series("training", trainLoss, TRAIN_RGB, false),
                new LineChart.Series("validation", valLoss, VAL_RGB, true)), null)))));
        double[] trainAcc = history.stream().mapToDouble(EpochStats::trainAccuracy).toArray();
        double[] valAcc = history.stream().mapToDouble(EpochStats::valAccuracy).toArray();
        if (anyFinite(trainAcc) || anyFinite(valAcc))
            written.add(atomically(dir.resolve("accuracy.png"), png(LineChart.render(new LineChart.Spec(run.model() + ": accuracy per epoch",
                    run.settings(), "epoch", "accuracy", epochs, List.of(
                    new LineChart.Series("training", trainAcc, TRAIN_RGB, false),
                    new LineChart.Series("validation", valAcc, VAL_RGB, true)), new double[] {0, 1})))));
        if (model != null && train != null && train.rows() > 0 && DecisionBoundary.applies(model, train))
            written.add(atomically(dir.resolve("decision_boundary.png"), png(DecisionBoundary.render(model, train))));
        return written;
    }

    static String csv(List<EpochStats> history) {
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,samples_per_s,val_top_k_accuracy\n");
        for (EpochStats e : history)
            sb.append(e.epoch()).append(',').append(cell(e.trainLoss())).append(',').append(cell(e.trainAccuracy())).append(',')
                    .append(cell(e.valLoss())).append(',').append(cell(e.valAccuracy())).append(',').append(cell(e.seconds()))
                    .append(',').append(cell(e.samplesPerSecond())).append(',').append(cell(e.valTopK())).append('\n');
        return sb.toString();
    }

    private static String cell(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : ""; }

    private static boolean anyFinite(double[] a) {
        for (double v : a) if (Double.isFinite(v)) return true;
        return false;
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this JDK");
        return out.toByteArray();
    }

    private static Path atomically(Path target, byte[] bytes) {
        OutputFile.write(target, bytes);
        return target;
    }
}

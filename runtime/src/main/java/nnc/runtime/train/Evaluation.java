package nnc.runtime.train;

import java.util.Arrays;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;

/**
 * Every metric of a model on a data set, in one pass of its evaluate entry: the loss, accuracy and
 * top-k accuracy {@link Trainer#evaluate} reports, and, for a classifier (a model with an accuracy
 * metric), the confusion matrix with precision, recall and F1; for a regression model (no accuracy
 * metric, one f32 target and an output of its shape), MAE, RMSE and R². What {@code nnc eval} prints.
 *
 * @param classification null unless the model has an accuracy metric
 * @param regression     null unless the model is a regression model as above
 */
public record Evaluation(EvalResult result, int rows, ClassificationMetrics classification, RegressionMetrics regression) {
    /** Evaluates {@code model} on every row of {@code data}, {@code maxBatch()} rows at a time. */
    public static Evaluation of(CompiledModel model, Dataset data) { return of(model, data, model.maxBatch()); }

    /** Evaluates {@code model} on every row of {@code data}, {@code batch} rows at a time. */
    public static Evaluation of(CompiledModel model, Dataset data, int batch) {
        if (batch < 1 || batch > model.maxBatch())
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + model.maxBatch());
        BatchFeeder feeder = new BatchFeeder(model, data);
        Metrics metrics = Metrics.of(model.info());
        Accuracy accuracy = metrics.accuracy();
        TopK topK = metrics.topK();
        String[] pair = accuracy == null ? regressionPair(model.info()) : null;
        long[][] confusion = accuracy == null ? null : new long[accuracy.matrixClasses()][accuracy.matrixClasses()];
        RegressionMetrics.Sums sums = new RegressionMetrics.Sums();
        int n = data.rows();
        double lossSum = 0;
        long correct = 0, topKCorrect = 0;
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            feeder.feedRange(from, b);
            model.evaluate(b);
            lossSum += (double) model.loss() * b;
            if (accuracy != null) {
                correct += accuracy.correct(model, b);
                accuracy.tally(model, b, confusion);
            }
            if (topK != null) topKCorrect += topK.correct(model, b);
            if (pair != null) {
                int width = model.info().get(pair[1]).rowSize();
                sums.add(model.floats(pair[0]), model.offset(pair[0]), model.floats(pair[1]), model.offset(pair[1]), b * width);
            }
        }
        double acc = accuracy == null || n == 0 ? Double.NaN : (double) correct / ((long) n * accuracy.positions());
        double top = topK == null || n == 0 ? Double.NaN : (double) topKCorrect / ((long) n * topK.positions());
        return new Evaluation(new EvalResult(n == 0 ? Double.NaN : lossSum / n, acc, top), n,
                confusion == null ? null : ClassificationMetrics.of(confusion), pair == null ? null : sums.metrics(pair[0], pair[1]));
    }

    /** {output, target} of a regression model: its only f32 target and the first output (not the loss) of the same shape; else null. */
    static String[] regressionPair(ModelInfo info) {
        List<TensorSpec> targets = info.withRole(Role.TARGET);
        if (targets.size() != 1 || targets.get(0).dtype() != DType.F32) return null;
        TensorSpec t = targets.get(0);
        for (TensorSpec o : info.withRole(Role.OUTPUT))
            if (!o.name().equals(info.lossName()) && o.dtype() == DType.F32 && Arrays.equals(o.dims(), t.dims())) return new String[] {o.name(), t.name()};
        return null;
    }

    /** The metrics as one JSON object: {@code loss}, {@code accuracy}, {@code samples}, and those of the model's kind. */
    public Json json() {
        Json j = Json.object().put("loss", result.loss()).put("accuracy", result.accuracy());
        if (classification != null)
            j.put("precision", classification.macroPrecision()).put("recall", classification.macroRecall()).put("f1", classification.macroF1())
                    .put("confusion_matrix", Arrays.stream(classification.confusion()).map(r -> Arrays.stream(r).boxed().toList()).toList());
        if (regression != null) j.put("mae", regression.mae()).put("rmse", regression.rmse()).put("r2", regression.r2());
        return j;
    }
}

package nnc.runtime.train;

import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;

/**
 * The accuracy metric {@code accuracy:OUT:TARGET[:THRESHOLD]}: how many predictions in the model's
 * f32 output OUT match the labels in its target TARGET, for the rows of the current batch.
 *
 * <p>OUT's last dimension holds C scores per position (C = 1 when OUT has rank 1); a row may hold
 * several positions (e.g. {@code [batch, time, C]}). Predicted class: with C = 1, 1 if the score
 * is greater than THRESHOLD (default 0.5) else 0; otherwise the first index of the largest score.
 * True class: an i32 target holds it (one per position); an f32 target holds one value per
 * position when C = 1 (class 1 if greater than 0.5), else C one-hot values per position (argmax).
 */
public final class Accuracy {
    private final String output;
    private final String target;
    private final float threshold;
    private final int positions;
    private final int classes;
    private final boolean intTarget;

    private Accuracy(String output, String target, float threshold, int positions, int classes, boolean intTarget) {
        this.output = output;
        this.target = target;
        this.threshold = threshold;
        this.positions = positions;
        this.classes = classes;
        this.intTarget = intTarget;
    }

    /** Parses a metric spec against the model it belongs to; throws IllegalArgumentException when they do not fit. */
    public static Accuracy parse(String spec, ModelInfo info) {
        String[] p = spec.split(":", -1);
        if (p.length < 3 || p.length > 4 || !p[0].equals("accuracy"))
            throw new IllegalArgumentException("not an accuracy metric spec: " + spec);
        float threshold = p.length == 4 ? Float.parseFloat(p[3]) : 0.5f;
        TensorSpec out = info.get(p[1]);
        TensorSpec target = info.get(p[2]);
        if (out.dtype() != DType.F32) throw new IllegalArgumentException("metric " + spec + ": output " + out + " is not f32");
        int classes = out.rank() < 2 ? 1 : out.dim(out.rank() - 1);
        int positions = out.rowSize() / classes;
        int expected = target.dtype() == DType.I32 ? positions : positions * classes;
        if (target.rowSize() != expected) {
            throw new IllegalArgumentException("metric " + spec + ": output " + out.typeText() + " does not match target "
                    + target.typeText() + " (expected " + expected + " target values per row)");
        }
        return new Accuracy(p[1], p[2], threshold, positions, classes, target.dtype() == DType.I32);
    }

    /** The output tensor holding the scores. */
    public String output() { return output; }

    /** The target tensor holding the labels. */
    public String target() { return target; }

    /** Score above which a one-column output predicts class 1. */
    public float threshold() { return threshold; }

    /** Predictions per batch row. */
    public int positions() { return positions; }

    /** Scores per prediction (C). */
    public int classes() { return classes; }

    /** Correct predictions among the first {@code batch} rows (at most {@code batch * positions()}). */
    public int correct(CompiledModel model, int batch) {
        float[] out = model.floats(output);
        int o = model.offset(output);
        int n = batch * positions;
        int correct = 0;
        if (intTarget) {
            int[] t = model.ints(target);
            int to = model.offset(target);
            for (int i = 0; i < n; i++) if (predicted(out, o + i * classes) == t[to + i]) correct++;
        } else {
            float[] t = model.floats(target);
            int to = model.offset(target);
            for (int i = 0; i < n; i++) {
                int truth = classes == 1 ? (t[to + i] > 0.5f ? 1 : 0) : argmax(t, to + i * classes, classes);
                if (predicted(out, o + i * classes) == truth) correct++;
            }
        }
        return correct;
    }

    /** Classes of the confusion matrix: C, or 2 for a one-column output. */
    public int matrixClasses() { return classes == 1 ? 2 : classes; }

    /**
     * Counts the first {@code batch} rows' predictions into {@code confusion[true class][predicted class]}
     * ({@link #matrixClasses()} square); a true class outside it (a label the model does not score) is not counted.
     */
    public void tally(CompiledModel model, int batch, long[][] confusion) {
        float[] out = model.floats(output);
        int o = model.offset(output);
        int n = batch * positions, to = model.offset(target);
        for (int i = 0; i < n; i++) {
            int truth;
            if (intTarget) truth = model.ints(target)[to + i];
            else {
                float[] t = model.floats(target);
                truth = classes == 1 ? (t[to + i] > 0.5f ? 1 : 0) : argmax(t, to + i * classes, classes);
            }
            if (truth >= 0 && truth < confusion.length) confusion[truth][predicted(out, o + i * classes)]++;
        }
    }

    private int predicted(float[] out, int at) {
        return classes == 1 ? (out[at] > threshold ? 1 : 0) : argmax(out, at, classes);
    }

    private static int argmax(float[] v, int at, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) if (v[at + c] > v[at + best]) best = c;
        return best;
    }
}

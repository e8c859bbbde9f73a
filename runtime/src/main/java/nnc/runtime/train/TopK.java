package nnc.runtime.train;

import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;

/**
 * The metric {@code topk:OUT:TARGET:K}: how often the true class is among the K highest scores of
 * OUT's last axis (C ≥ 2 scores per position). A prediction counts as correct when fewer than K
 * scores are strictly greater than the true class's score, so ties favour the truth, as
 * {@code torch.topk}-based top-k accuracy does for distinct scores. True class: an i32 target (one
 * index per position) or an f32 one-hot target (its argmax).
 */
public final class TopK {
    private final String output;
    private final String target;
    private final int k;
    private final int positions;
    private final int classes;
    private final boolean intTarget;

    private TopK(String output, String target, int k, int positions, int classes, boolean intTarget) {
        this.output = output;
        this.target = target;
        this.k = k;
        this.positions = positions;
        this.classes = classes;
        this.intTarget = intTarget;
    }

    /** Parses a spec against its model; throws IllegalArgumentException when they do not fit. */
    public static TopK parse(String spec, ModelInfo info) {
        String[] p = spec.split(":", -1);
        if (p.length != 4 || !p[0].equals("topk")) throw new IllegalArgumentException("not a top-k metric spec: " + spec);
        int k = Integer.parseInt(p[3]);
        TensorSpec out = info.get(p[1]), target = info.get(p[2]);
        if (out.dtype() != DType.F32 || out.rank() < 2) throw new IllegalArgumentException("metric " + spec + ": output " + out + " has no class axis");
        int classes = out.dim(out.rank() - 1);
        if (k < 1 || k > classes) throw new IllegalArgumentException("metric " + spec + ": k must be between 1 and " + classes);
        int positions = out.rowSize() / classes;
        int expected = target.dtype() == DType.I32 ? positions : positions * classes;
        if (target.rowSize() != expected)
            throw new IllegalArgumentException("metric " + spec + ": output " + out.typeText() + " does not match target " + target.typeText());
        return new TopK(p[1], p[2], k, positions, classes, target.dtype() == DType.I32);
    }

    public int k() { return k; }

    /** Predictions per batch row. */
    public int positions() { return positions; }

    /** Correct top-k predictions among the first {@code batch} rows. */
    public int correct(CompiledModel model, int batch) {
        float[] out = model.floats(output);
        int o = model.offset(output);
        int n = batch * positions, correct = 0;
        for (int i = 0; i < n; i++) {
            int truth;
            if (intTarget) {
                truth = model.ints(target)[model.offset(target) + i];
            } else {
                float[] t = model.floats(target);
                int at = model.offset(target) + i * classes;
                truth = 0;
                for (int c = 1; c < classes; c++) if (t[at + c] > t[at + truth]) truth = c;
            }
            if (truth < 0 || truth >= classes) continue;
            float score = out[o + i * classes + truth];
            int above = 0;
            for (int c = 0; c < classes && above < k; c++) if (out[o + i * classes + c] > score) above++;
            if (above < k && !Float.isNaN(score)) correct++;
        }
        return correct;
    }
}

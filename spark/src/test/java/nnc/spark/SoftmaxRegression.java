package nnc.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.parallel.DataParallelModel;

/**
 * A hand-made test double of a compiled model split for data-parallel training: softmax regression
 * ({@code logits = x w + b}, mean cross-entropy) trained by SGD with momentum 0.9, so the optimiser
 * has state. Its {@link #trainStep} is its own {@code gradientStep(b, 1, ...)} then
 * {@code applyStep}, as the contract requires of the compiler's split.
 */
final class SoftmaxRegression implements CompiledModel, DataParallelModel {
    private final int features, classes, maxBatch;
    private final float lr;
    private final ModelInfo info;
    private final float[] x, w, b, vw, vb, logits, loss = new float[1], scratch;
    private final int[] y;

    SoftmaxRegression(int features, int classes, int maxBatch, float lr) {
        this.features = features;
        this.classes = classes;
        this.maxBatch = maxBatch;
        this.lr = lr;
        int B = TensorSpec.BATCH;
        this.info = new ModelInfo("SoftmaxRegression", List.of(
                new TensorSpec("x", Role.INPUT, DType.F32, new int[] {B, features}, null),
                new TensorSpec("y", Role.TARGET, DType.I32, new int[] {B}, null),
                new TensorSpec("w", Role.PARAM, DType.F32, new int[] {features, classes}, new Init.Normal(0, 0.1)),
                new TensorSpec("b", Role.PARAM, DType.F32, new int[] {classes}, new Init.Constant(0)),
                new TensorSpec("w_v", Role.STATE, DType.F32, new int[] {features, classes}, null),
                new TensorSpec("b_v", Role.STATE, DType.F32, new int[] {classes}, null),
                new TensorSpec("logits", Role.OUTPUT, DType.F32, new int[] {B, classes}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[] {}, null)),
                "loss", List.of("accuracy:logits:y"));
        x = new float[maxBatch * features];
        y = new int[maxBatch];
        w = new float[features * classes];
        b = new float[classes];
        vw = new float[w.length];
        vb = new float[classes];
        logits = new float[maxBatch * classes];
        scratch = new float[exchangeLength()];
    }

    @Override public ModelInfo info() { return info; }

    @Override public int maxBatch() { return maxBatch; }

    @Override public float[] floats(String name) {
        return switch (name) {
            case "x" -> x;
            case "w" -> w;
            case "b" -> b;
            case "w_v" -> vw;
            case "b_v" -> vb;
            case "logits" -> logits;
            case "loss" -> loss;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Override public int[] ints(String name) {
        if (name.equals("y")) return y;
        throw new IllegalArgumentException(name);
    }

    @Override public CompiledModel model() { return this; }

    @Override public int exchangeLength() { return w.length + b.length + 1; }

    @Override public void trainStep(int batch) {
        gradientStep(batch, 1f, scratch, 0);
        applyStep(scratch, 0);
    }

    @Override public void evaluate(int batch) { loss[0] = forward(batch, null, 0f, 0); }

    @Override public void predict(int batch) { forward(batch, null, 0f, 0); }

    @Override public void firstRow(int row) {} // no dropout

    @Override public void gradientStep(int batch, float weight, float[] ex, int off) {
        Arrays.fill(ex, off, off + exchangeLength(), 0f);
        float l = forward(batch, ex, weight, off);
        ex[off + exchangeLength() - 1] = weight * l;
    }

    @Override public void applyStep(float[] ex, int off) {
        for (int i = 0; i < w.length; i++) {
            vw[i] = 0.9f * vw[i] + ex[off + i];
            w[i] -= lr * vw[i];
        }
        for (int c = 0; c < classes; c++) {
            vb[c] = 0.9f * vb[c] + ex[off + w.length + c];
            b[c] -= lr * vb[c];
        }
        loss[0] = ex[off + exchangeLength() - 1];
    }

    /** Logits and mean loss over {@code batch} rows; with {@code ex}, adds {@code weight} times the gradient. */
    private float forward(int batch, float[] ex, float weight, int off) {
        double total = 0;
        float[] p = new float[classes];
        for (int r = 0; r < batch; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float z = b[c];
                for (int f = 0; f < features; f++) z += x[r * features + f] * w[f * classes + c];
                logits[r * classes + c] = z;
                max = Math.max(max, z);
            }
            float sum = 0;
            for (int c = 0; c < classes; c++) sum += p[c] = (float) Math.exp(logits[r * classes + c] - max);
            total += Math.log(sum) + max - logits[r * classes + y[r]];
            if (ex == null) continue;
            for (int c = 0; c < classes; c++) {
                float g = (p[c] / sum - (c == y[r] ? 1f : 0f)) / batch * weight;
                for (int f = 0; f < features; f++) ex[off + f * classes + c] += x[r * features + f] * g;
                ex[off + w.length + c] += g;
            }
        }
        return (float) (total / batch);
    }

    /** Serialisable maker of replicas (what a broadcast carries to the executors). */
    record Factory(int features, int classes, float lr) implements ReplicaFactory {
        @Override public DataParallelModel create(int maxBatch) { return new SoftmaxRegression(features, classes, maxBatch, lr); }
    }

    static Map<String, float[]> params(CompiledModel m) { return Map.of("w", m.floats("w").clone(), "b", m.floats("b").clone()); }
}

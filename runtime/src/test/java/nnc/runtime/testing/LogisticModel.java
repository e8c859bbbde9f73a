package nnc.runtime.testing;

import java.util.List;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.Gemm;

/**
 * Logistic regression written by hand: {@code logits = x·w + b}, loss = mean
 * bce_with_logits(logits, y), plain SGD. Target f32[batch, 1]; metric accuracy:logits:y:0.
 */
public final class LogisticModel extends ArenaModel {
    private final int d;
    private final float lr;
    private final float[] dz;
    private final float[] dw;

    public LogisticModel(int features, int maxBatch, float lr) {
        super(new ModelInfo("Logistic", List.of(
                new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, features}, null),
                new TensorSpec("y", Role.TARGET, DType.F32, new int[] {TensorSpec.BATCH, 1}, null),
                new TensorSpec("w", Role.PARAM, DType.F32, new int[] {features, 1}, new Init.Normal(0, 0.1)),
                new TensorSpec("b", Role.PARAM, DType.F32, new int[] {1}, Init.ZEROS),
                new TensorSpec("logits", Role.OUTPUT, DType.F32, new int[] {TensorSpec.BATCH, 1}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)),
                "loss", List.of("accuracy:logits:y:0")), maxBatch);
        this.d = features;
        this.lr = lr;
        this.dz = new float[maxBatch];
        this.dw = new float[features];
    }

    private void forward(int batch) {
        int x = offset("x"), y = offset("y"), z = offset("logits");
        Gemm.matmul(false, false, batch, 1, d, floats, x, floats, offset("w"), floats, z);
        float b = floats[offset("b")];
        double loss = 0;
        for (int r = 0; r < batch; r++) {
            float logit = floats[z + r] += b;
            float t = floats[y + r];
            loss += Math.max(logit, 0) - logit * t + Math.log1p(Math.exp(-Math.abs(logit)));
            dz[r] = (float) ((1 / (1 + Math.exp(-logit)) - t) / batch);
        }
        floats[offset("loss")] = (float) (loss / batch);
    }

    @Override public void trainStep(int batch) {
        forward(batch);
        Gemm.matmul(true, false, d, 1, batch, floats, offset("x"), dz, 0, dw, 0);
        int w = offset("w");
        for (int i = 0; i < d; i++) floats[w + i] -= lr * dw[i];
        float db = 0;
        for (int r = 0; r < batch; r++) db += dz[r];
        floats[offset("b")] -= lr * db;
    }

    @Override public void evaluate(int batch) { forward(batch); }

    @Override public void predict(int batch) { forward(batch); }
}

package nnc.runtime.testing;

import java.util.List;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.Gemm;

/**
 * Softmax regression written by hand: {@code logits = x·W}, loss = mean cross-entropy against
 * i32 class indices, plain SGD. Metric accuracy:logits:y.
 */
public final class SoftmaxModel extends ArenaModel {
    private final int d;
    private final int c;
    private final float lr;
    private final float[] dz;
    private final float[] dw;

    public SoftmaxModel(int features, int classes, int maxBatch, float lr) {
        super(new ModelInfo("Softmax", List.of(
                new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, features}, null),
                new TensorSpec("y", Role.TARGET, DType.I32, new int[] {TensorSpec.BATCH}, null),
                new TensorSpec("W", Role.PARAM, DType.F32, new int[] {features, classes}, new Init.Xavier()),
                new TensorSpec("logits", Role.OUTPUT, DType.F32, new int[] {TensorSpec.BATCH, classes}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)),
                "loss", List.of("accuracy:logits:y")), maxBatch);
        this.d = features;
        this.c = classes;
        this.lr = lr;
        this.dz = new float[maxBatch * classes];
        this.dw = new float[features * classes];
    }

    private void forward(int batch) {
        int z = offset("logits"), y = offset("y");
        Gemm.matmul(false, false, batch, c, d, floats, offset("x"), floats, offset("W"), floats, z);
        double loss = 0;
        for (int r = 0; r < batch; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, floats[z + r * c + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp(floats[z + r * c + j] - max);
            int t = ints[y + r];
            loss += Math.log(sum) - (floats[z + r * c + t] - max);
            for (int j = 0; j < c; j++) {
                double p = Math.exp(floats[z + r * c + j] - max) / sum;
                dz[r * c + j] = (float) ((p - (j == t ? 1 : 0)) / batch);
            }
        }
        floats[offset("loss")] = (float) (loss / batch);
    }

    @Override public void trainStep(int batch) {
        forward(batch);
        Gemm.matmul(true, false, d, c, batch, floats, offset("x"), dz, 0, dw, 0);
        int w = offset("W");
        for (int i = 0; i < d * c; i++) floats[w + i] -= lr * dw[i];
    }

    @Override public void evaluate(int batch) { forward(batch); }

    @Override public void predict(int batch) { forward(batch); }
}

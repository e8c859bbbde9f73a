package nnc.runtime.api;

import java.util.Arrays;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;

/**
 * Runs a model's predict entry over any number of rows, {@code maxBatch} at a time: what a
 * generated trainer's {@code predict(float[][] ...)} calls.
 */
public final class Batches {
    private Batches() {}

    /**
     * The outputs of {@code model.predict} on {@code rows}.
     *
     * @param inputs  the model's inputs, by name
     * @param rows    for each input its rows: {@code float[][]} for f32, {@code int[][]} for i32 (all of one length)
     * @param outputs the outputs to return, by name (batch-dimension tensors)
     * @return for each output its rows, {@code float[][]} or {@code int[][]}, one per input row
     * @throws IllegalArgumentException when the inputs' row counts differ or a row has the wrong length
     */
    public static Object[] predict(CompiledModel model, String[] inputs, Object[] rows, String[] outputs) {
        int n = -1;
        TensorView[] in = new TensorView[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            int count = rows[k] instanceof float[][] f ? f.length : ((int[][]) rows[k]).length;
            if (n >= 0 && count != n)
                throw new IllegalArgumentException("input " + inputs[k] + " has " + count + " rows, " + inputs[0] + " has " + n);
            n = count;
            in[k] = rows[k] instanceof float[][] ? new FloatTensor(model, inputs[k]) : new IntTensor(model, inputs[k]);
        }
        TensorView[] out = new TensorView[outputs.length];
        Object[] result = new Object[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            boolean f32 = model.info().get(outputs[k]).dtype() == DType.F32;
            out[k] = f32 ? new FloatTensor(model, outputs[k]) : new IntTensor(model, outputs[k]);
            result[k] = f32 ? new float[n][] : new int[n][];
        }
        for (int from = 0; from < n; from += model.maxBatch()) {
            int b = Math.min(model.maxBatch(), n - from);
            for (int k = 0; k < in.length; k++) {
                if (in[k] instanceof FloatTensor t) t.setRows(0, slice((float[][]) rows[k], from, b));
                else ((IntTensor) in[k]).setRows(0, slice((int[][]) rows[k], from, b));
            }
            model.predict(b);
            for (int k = 0; k < out.length; k++) {
                Object[] dst = (Object[]) result[k];
                Object[] got = out[k] instanceof FloatTensor t ? t.rows(0, b) : ((IntTensor) out[k]).rows(0, b);
                System.arraycopy(got, 0, dst, from, b);
            }
        }
        return result;
    }

    private static float[][] slice(float[][] a, int from, int n) { return Arrays.copyOfRange(a, from, from + n); }

    private static int[][] slice(int[][] a, int from, int n) { return Arrays.copyOfRange(a, from, from + n); }
}

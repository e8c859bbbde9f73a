package nnc.spark.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import nnc.runtime.CompiledModel;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.parallel.ModelBundle;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Batch inference on an executor: the trained model's class bytes and weights; per JVM, models made
 * once and reused by the partitions' tasks; per partition, rows predicted {@code maxBatch} at a time.
 */
record Predictor(String key, ModelBundle bundle, byte[] weights, String input, int width, String scores, int classes) implements Serializable {
    private static final Map<String, Queue<CompiledModel>> FREE = new ConcurrentHashMap<>();

    static Predictor of(String uid, ModelBundle bundle, byte[] weights) {
        ModelInfo info = bundle.instantiate().model().info();
        TensorSpec in = NncModelSource.input(info), out = NncModelSource.scores(info);
        return new Predictor(uid + "/" + Arrays.hashCode(weights), bundle, weights, in.name(), in.rowSize(), out.name(), out.rowSize());
    }

    Iterator<Row> predict(Iterator<Row> rows, int col, String column) {
        Queue<CompiledModel> free = FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
        CompiledModel m = free.poll();
        if (m == null) {
            m = bundle.instantiate().model();
            ModelTensors.loadTrained(m, SafeTensors.decode(weights, "the model's weights"), "");
        }
        try {
            List<Row> out = new ArrayList<>();
            List<Row> batch = new ArrayList<>(m.maxBatch());
            long index = 0;
            while (rows.hasNext()) {
                Row r = rows.next();
                float[] x = m.floats(input);
                FeatureRows.features(r, col, column, index++, width, x, m.offset(input) + batch.size() * width);
                batch.add(r);
                if (batch.size() == m.maxBatch() || !rows.hasNext()) {
                    emit(m, batch, out);
                    batch.clear();
                }
            }
            return out.iterator();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (row index within partition " + (TaskContext.get() == null ? 0 : TaskContext.get().partitionId()) + ")", e);
        } finally {
            free.add(m);
        }
    }

    private void emit(CompiledModel m, List<Row> batch, List<Row> out) {
        m.predict(batch.size());
        float[] s = m.floats(scores);
        int off = m.offset(scores);
        for (int r = 0; r < batch.size(); r++) {
            double[] p = probabilities(s, off + r * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (p[c] > p[best]) best = c;
            Row row = batch.get(r);
            Object[] values = new Object[row.length() + 2];
            for (int i = 0; i < row.length(); i++) values[i] = row.get(i);
            values[row.length()] = (double) best;
            values[row.length() + 1] = Vectors.dense(p);
            out.add(RowFactory.create(values));
        }
    }

    /** The scores as probabilities: as they are when they already are a distribution, else their softmax. */
    static double[] probabilities(float[] s, int at, int n) {
        double[] p = new double[n];
        double sum = 0, max = Double.NEGATIVE_INFINITY;
        boolean distribution = true;
        for (int c = 0; c < n; c++) {
            p[c] = s[at + c];
            sum += p[c];
            max = Math.max(max, p[c]);
            distribution &= p[c] >= 0 && p[c] <= 1;
        }
        if (distribution && Math.abs(sum - 1) < 1e-4) return p;
        sum = 0;
        for (int c = 0; c < n; c++) sum += p[c] = Math.exp(p[c] - max);
        for (int c = 0; c < n; c++) p[c] /= sum;
        return p;
    }
}

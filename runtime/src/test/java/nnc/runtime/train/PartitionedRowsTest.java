package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nnc.runtime.CompiledModel;
import nnc.runtime.ModelInfo;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.testing.LogisticModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's hook for models that keep their rows by partition: their order, their step rows, resume mid-epoch. */
class PartitionedRowsTest {
    static final int N = 203, BATCH = 32;
    static final Dataset DATA = Datasets.load(new DataSpec("gaussians", List.of(), Map.of("n", (double) N), "test"), null, 5);

    /**
     * A logistic model with an order of its own (with more than one partition, each batch of
     * {@link EpochOrder}'s rows reversed, as an engine that groups a batch's rows would reorder
     * them) that checks every step's rows against the fed batch.
     */
    static final class Owned implements CompiledModel, PartitionedRows {
        final LogisticModel m = new LogisticModel(2, BATCH, 0.5f);
        final int partitions;
        int batch;
        int begun, steps;
        int[] rows;

        Owned(int partitions) {
            this.partitions = partitions;
            ParamInit.initialize(m, 1);
        }

        @Override public void begin(Dataset train, int batch) {
            begun++;
            this.batch = batch;
        }

        @Override public void fillOrder(int[] order, long seed, int epoch, boolean shuffle) {
            EpochOrder.fill(order, seed, epoch, shuffle);
            if (partitions == 1) return;
            for (int from = 0; from < order.length; from += batch)
                for (int i = from, j = Math.min(order.length, from + batch) - 1; i < j; i++, j--) {
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
        }

        @Override public void stepRows(int[] order, int from, int count) { rows = Arrays.copyOfRange(order, from, from + count); }

        @Override public void trainStep(int batch) {
            assertEquals(rows.length, batch);
            float[] x = m.floats("x");
            for (int r = 0; r < batch; r++)
                assertEquals(DATA.x()[rows[r] * 2], x[m.offset("x") + r * 2], "the fed row is the step's row");
            steps++;
            m.trainStep(batch);
        }

        @Override public ModelInfo info() { return m.info(); }
        @Override public int maxBatch() { return m.maxBatch(); }
        @Override public float[] floats(String name) { return m.floats(name); }
        @Override public int[] ints(String name) { return m.ints(name); }
        @Override public int offset(String name) { return m.offset(name); }
        @Override public void evaluate(int batch) { m.evaluate(batch); }
        @Override public void predict(int batch) { m.predict(batch); }
        @Override public float loss() { return m.loss(); }
    }

    static float[] params(CompiledModel m) { return m.floats("w").clone(); }

    @Test void onePartitionTrainsAsThePlainLoop() {
        LogisticModel plain = new LogisticModel(2, BATCH, 0.5f);
        ParamInit.initialize(plain, 1);
        TrainOptions opts = new TrainOptions(3, BATCH, 9, true);
        Trainer.fit(plain, DATA, null, opts, TrainListener.NONE);
        Owned owned = new Owned(1);
        Trainer.fit(owned, DATA, null, opts, TrainListener.NONE);
        assertEquals(1, owned.begun);
        assertEquals(3 * 7, owned.steps);
        assertArrayEquals(params(plain), params(owned));
    }

    @Test void resumesMidEpochInThePartitionsOrder(@TempDir Path dir) {
        TrainOptions opts = new TrainOptions(2, BATCH, 9, true);
        Owned whole = new Owned(3);
        Trainer.fit(whole, DATA, null, opts, TrainListener.NONE);
        Owned first = new Owned(3);
        TrainListener crash = new TrainListener() {
            @Override public void epochEnd(EpochStats stats) {}
            @Override public void stepEnd(int epoch, int step, int steps, float loss) {
                if (epoch == 2 && step == 5) throw new IllegalStateException("crash after the checkpoint of step 10 (epoch 2, step 3)");
            }
        };
        assertThrows(IllegalStateException.class, () -> Trainer.fit(first, DATA, null, opts.withCheckpoints(dir, 10), crash));
        Owned resumed = new Owned(3);
        Trainer.fit(resumed, DATA, null, opts.withResume(dir), TrainListener.NONE);
        assertEquals(7 - 3, resumed.steps, "resumed at epoch 2, step 4");
        assertArrayEquals(params(whole), params(resumed));
        assertFalse(Arrays.equals(params(whole), params(new Owned(3))), "training moved the parameters");
    }
}

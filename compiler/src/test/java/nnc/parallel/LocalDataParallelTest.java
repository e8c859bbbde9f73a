package nnc.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.optim.Schedules;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.parallel.LocalDataParallel;
import nnc.runtime.parallel.ModelBundle;
import nnc.runtime.parallel.SplitModel;
import nnc.runtime.train.BatchFeeder;
import nnc.runtime.train.EpochOrder;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-process data-parallel engine: one partition is {@code Trainer.fit} bitwise (same epoch
 * order, batches, schedule, batch norm and dropout); two and three partitions agree with one
 * machine on the first step's summed gradient and loss to float rounding; replicas stay bitwise
 * identical and runs repeat bitwise.
 */
class LocalDataParallelTest {
    /** Batch norm, dropout, Adam with weight decay, a schedule and global-norm clipping: every kind of state a step changes. */
    static final String BN_DROPOUT = """
            model Regular {
              input  x: f32[batch, 2]
              target y: i32[batch]
              h      = dropout(relu(batch_norm(dense(x, 16))), 0.3)
              logits = dense(h, 3)
              output p = softmax(logits)
              loss   cross_entropy(logits, y)
              metric accuracy(p, y)
            }
            train {
              data      gaussians(n = 300, dim = 2, classes = 3, noise = 0.5)
              optimizer adamw(lr = 0.01, weight_decay = 0.01)
              schedule  cosine(warmup = 5)
              clipping(norm = 1)
              batch     24
              epochs    2
              seed      5
            }
            """;
    /** Dropout without batch norm: P partitions draw the masks of the global batch, so the first step agrees with one machine. */
    static final String DROPOUT = BN_DROPOUT.replace("relu(batch_norm(dense(x, 16)))", "relu(dense(x, 16))");
    static final String PLAIN = BN_DROPOUT.replace("dropout(relu(batch_norm(dense(x, 16))), 0.3)", "tanh(dense(x, 16))");

    static Compilation compile(String text) { return Compilation.of(new SourceFile("regular.nn", text)); }

    static Dataset data(Compilation c) { return Datasets.load(c.train().data(), Path.of("."), c.train().seed()); }

    static TrainOptions options(Compilation c, int rows) {
        TrainConfig cfg = c.train();
        long steps = (long) ((rows + cfg.batch() - 1) / cfg.batch()) * cfg.epochs();
        return new TrainOptions(cfg.epochs(), cfg.batch(), cfg.seed(), cfg.shuffle()).withSchedule(Schedules.of(cfg, steps));
    }

    static LocalDataParallel engine(Compilation c, Backend backend, int partitions) {
        List<DataParallelModel> replicas = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            DataParallelModel m = c.dataParallel(backend, c.train().batch(), true, Numerics.Mode.ON);
            ParamInit.initialize(m.model(), 11);
            replicas.add(m);
        }
        return new LocalDataParallel(replicas);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "bytecode", "interp"})
    void onePartitionIsTrainerFitBitwise(String backendName) {
        Backend backend = Backend.parse(backendName);
        Compilation c = compile(BN_DROPOUT);
        Dataset data = data(c);
        CompiledModel single = c.compiled(backend, c.train().batch(), true, Numerics.Mode.ON);
        ParamInit.initialize(single, 11);
        Trainer.fit(single, data, null, options(c, data.rows()), TrainListener.NONE);
        LocalDataParallel one = engine(c, backend, 1);
        List<Double> losses = one.fit(data, options(c, data.rows()));
        assertEquals(2, losses.size());
        CompiledModel m = one.replicas().get(0).model();
        for (TensorSpec t : single.info().tensors())
            if (t.role() == Role.PARAM || t.role() == Role.STATE) assertBitwise(single, m, t.name(), backendName);
    }

    @Test
    void epochOrderIsTrainersShuffle() {
        int[] a = EpochOrder.of(50, 7, 2, true), b = EpochOrder.of(50, 7, 2, true);
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, EpochOrder.of(50, 7, 3, true)), "another epoch, another order");
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        assertArrayEquals(new int[] {0, 1, 2, 3}, EpochOrder.of(4, 7, 1, false));
    }

    @Test
    void partsAreContiguousAndDifferByAtMostOneRow() {
        assertArrayEquals(new int[] {9, 8, 8}, LocalDataParallel.partSizes(25, 3));
        assertArrayEquals(new int[] {1, 1, 0}, LocalDataParallel.partSizes(2, 3));
        assertArrayEquals(new int[] {24}, LocalDataParallel.partSizes(24, 1));
    }

    /**
     * The first step's summed contribution (every gradient, then the loss) of P = 2 and 3 against
     * P = 1, to 2e-6 of each tensor's largest magnitude: the global batch's gradient is a mean of
     * 24 rows' terms; P partitions sum their rows apart, scale by n_p/N and add the parts, which
     * reassociates the sum and rounds a few more times (a handful of 2^-24 relative errors per
     * element, far below 2e-6 of the largest element). Dropout masks are the global batch's, so a
     * model with dropout agrees too; batch norm's statistics are per partition and would not.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void morePartitionsAgreeWithOneOnTheFirstStep(int partitions) {
        for (String model : List.of(PLAIN, DROPOUT)) {
            Compilation c = compile(model);
            Dataset data = data(c);
            int batch = c.train().batch();
            int[] order = EpochOrder.of(data.rows(), c.train().seed(), 1, true);
            float[] one = firstStep(engine(c, Backend.BYTECODE, 1), data, order, batch);
            float[] many = firstStep(engine(c, Backend.BYTECODE, partitions), data, order, batch);
            SplitModel layout = (SplitModel) c.dataParallel(Backend.BYTECODE, batch, true, Numerics.Mode.ON);
            int at = 0;
            List<String> names = new ArrayList<>(layout.layout());
            names.add("loss");
            for (String name : names) {
                int n = name.equals("loss") ? 1 : layout.model().info().get(name).elementCount(batch);
                double scale = 0;
                for (int k = at; k < at + n; k++) scale = Math.max(scale, Math.abs(one[k]));
                for (int k = at; k < at + n; k++)
                    assertTrue(Math.abs(one[k] - many[k]) <= 2e-6 * scale,
                            partitions + " partitions, " + name + "[" + (k - at) + "]: " + many[k] + " vs " + one[k] + " (scale " + scale + ")");
                at += n;
            }
            assertEquals(one.length, at);
        }
    }

    private static float[] firstStep(LocalDataParallel engine, Dataset data, int[] order, int batch) {
        List<BatchFeeder> feeders = new ArrayList<>();
        for (DataParallelModel r : engine.replicas()) feeders.add(new BatchFeeder(r.model(), data));
        for (DataParallelModel r : engine.replicas()) r.model().floats(Trainer.LR)[0] = 0.01f;
        engine.step(feeders, order, 0, batch);
        return engine.lastSum().clone();
    }

    @Test
    void replicasStayIdenticalAndRunsRepeatBitwise() {
        Compilation c = compile(BN_DROPOUT);
        Dataset data = data(c);
        List<CompiledModel> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            ModelBundle bundle = c.bundle(Backend.BYTECODE, c.train().batch(), true);
            LocalDataParallel three = LocalDataParallel.of(bundle, 3);
            for (DataParallelModel r : three.replicas()) ParamInit.initialize(r.model(), 11);
            List<Double> losses = three.fit(data, options(c, data.rows()));
            assertTrue(losses.get(1) < losses.get(0) * 1.5, "training goes somewhere: " + losses);
            assertTrue(three.replicasIdentical(), "replicas identical after run " + run);
            runs.add(three.replicas().get(2).model());
        }
        for (TensorSpec t : runs.get(0).info().tensors())
            if (t.role() == Role.PARAM || t.role() == Role.STATE) assertBitwise(runs.get(0), runs.get(1), t.name(), "second run");
    }

    private static void assertBitwise(CompiledModel expected, CompiledModel actual, String name, String what) {
        TensorSpec t = expected.info().get(name);
        int n = t.elementCount(expected.maxBatch());
        float[] a = expected.floats(name), b = actual.floats(name);
        int oa = expected.offset(name), ob = actual.offset(name);
        for (int k = 0; k < n; k++)
            if (Float.floatToIntBits(a[oa + k]) != Float.floatToIntBits(b[ob + k]))
                assertEquals(a[oa + k], b[ob + k], what + ": " + name + "[" + k + "]");
    }
}

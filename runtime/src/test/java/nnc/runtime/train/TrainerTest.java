package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import nnc.runtime.DType;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.testing.LogisticModel;
import nnc.runtime.testing.StubModel;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static Dataset gaussians(int n, long seed) {
        return Datasets.load(new DataSpec("gaussians", List.of(), Map.of("n", (double) n), "test"), null, seed);
    }

    private static LogisticModel logistic(long seed) {
        LogisticModel m = new LogisticModel(2, 32, 0.5f);
        ParamInit.initialize(m, seed);
        return m;
    }

    @Test
    void reducesTheLossAndLearns() {
        List<EpochStats> seen = new ArrayList<>();
        LogisticModel m = logistic(1);
        Dataset train = gaussians(1000, 1), val = gaussians(300, 2);
        EvalResult before = Trainer.evaluate(m, val, 32);
        TrainResult r = Trainer.fit(m, train, val, new TrainOptions(5, 32, 3, true), seen::add);
        assertEquals(5, r.history().size());
        assertEquals(seen, r.history());
        assertTrue(r.history().get(4).trainLoss() < r.history().get(0).trainLoss(), r.history().toString());
        assertTrue(r.valLoss() < before.loss() / 2, "val loss " + before.loss() + " -> " + r.valLoss());
        assertTrue(r.valAccuracy() > 0.9, "val accuracy " + r.valAccuracy());
        assertTrue(r.trainAccuracy() > 0.9, "train accuracy " + r.trainAccuracy());
        assertTrue(r.history().get(4).trainAccuracy() > 0.9);
        assertEquals(r.history().get(4).trainLoss(), r.finalLoss());
        assertEquals(r.history().get(4).valLoss(), r.valLoss());
        assertEquals(5 * 32, r.steps(), "1000 rows in batches of 32: 32 steps per epoch");
        assertTrue(r.samplesPerSecond() > 0);
        assertTrue(m.floatGuardsIntact());
    }

    /** Stops the run after epoch {@code k}, counting the epochs it was told of. */
    private static final class StopAfter implements TrainListener {
        final int k;
        final List<Integer> epochs = new ArrayList<>();
        StopAfter(int k) { this.k = k; }
        @Override public void epochEnd(EpochStats stats) { epochs.add(stats.epoch()); }
        @Override public boolean stopRequested() { return epochs.get(epochs.size() - 1) >= k; }
    }

    @Test
    void aListenerThatStopsAfterEpochKTrainsExactlyKEpochs() {
        StubModel m = stub(s -> 1f);
        StopAfter listener = new StopAfter(2);
        TrainResult r = Trainer.fit(m, numbered(100), null, new TrainOptions(5, 10, 1, false), listener);
        assertEquals(List.of(1, 2), listener.epochs);
        assertEquals(2, r.history().size());
        assertEquals(2 * 10, r.steps(), "100 rows in batches of 10: 10 steps per epoch, 2 epochs");
        assertEquals(20, m.trainBatches.size(), "the model trained 20 steps, not 50");
        assertTrue(r.stoppedByListener());
        assertFalse(r.stoppedEarly(), "early stopping did not end it");
    }

    @Test
    void aStopRequestedAfterTheLastEpochIsNoStop() {
        TrainResult r = Trainer.fit(stub(s -> 1f), numbered(100), null, new TrainOptions(3, 10, 1, false), new StopAfter(3));
        assertEquals(3, r.history().size());
        assertFalse(r.stoppedByListener(), "the run ended at its last epoch anyway");
        assertFalse(Trainer.fit(stub(s -> 1f), numbered(100), null, new TrainOptions(2, 10, 1, false), TrainListener.NONE).stoppedByListener());
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherPath() {
        Dataset train = gaussians(500, 4);
        TrainResult a = Trainer.fit(logistic(9), train, null, new TrainOptions(3, 32, 11, true), TrainListener.NONE);
        TrainResult b = Trainer.fit(logistic(9), train, null, new TrainOptions(3, 32, 11, true), TrainListener.NONE);
        TrainResult c = Trainer.fit(logistic(9), train, null, new TrainOptions(3, 32, 12, true), TrainListener.NONE);
        for (int e = 0; e < 3; e++) {
            assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss());
            assertEquals(a.history().get(e).trainAccuracy(), b.history().get(e).trainAccuracy());
        }
        assertEquals(a.trainAccuracy(), b.trainAccuracy());
        assertNotEquals(a.history().get(0).trainLoss(), c.history().get(0).trainLoss());
        assertTrue(Double.isNaN(a.valLoss()) && Double.isNaN(a.valAccuracy()));
    }

    private static Dataset numbered(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return Dataset.classification(x, new int[] {1}, new int[n], 1);
    }

    private static StubModel stub(IntFunction<Float> loss) {
        return new StubModel(StubModel.info(1, StubModel.target(DType.I32, TensorSpec.BATCH), 1), 64, loss);
    }

    @Test
    void partialLastBatchAndPermutationsWithoutReplacement() {
        StubModel m = stub(s -> 2f);
        List<int[]> steps = new ArrayList<>();
        TrainListener listener = new TrainListener() {
            @Override public void epochEnd(EpochStats stats) { }
            @Override public void stepEnd(int epoch, int step, int stepsPerEpoch, float loss) {
                steps.add(new int[] {epoch, step, stepsPerEpoch});
            }
        };
        TrainResult r = Trainer.fit(m, numbered(1000), null, new TrainOptions(2, 64, 5, true), listener);
        assertEquals(32, r.steps());
        assertEquals(32, m.trainBatches.size());
        for (int s = 0; s < 32; s++) assertEquals(s % 16 == 15 ? 40 : 64, m.trainBatches.get(s));
        assertArrayEquals(new int[] {2, 16, 16}, steps.get(31));
        assertEquals(2.0, r.finalLoss());
        for (int e = 0; e < 2; e++) {
            Set<Float> rows = new HashSet<>(m.firstInputs.subList(e * 1000, (e + 1) * 1000));
            assertEquals(1000, rows.size(), "every row exactly once per epoch");
        }
        assertNotEquals(m.firstInputs.subList(0, 1000), m.firstInputs.subList(1000, 2000), "a new permutation per epoch");
        List<Float> inOrder = new ArrayList<>();
        for (int i = 0; i < 1000; i++) inOrder.add((float) i);
        assertNotEquals(inOrder, m.firstInputs.subList(0, 1000), "shuffled, not in order");
    }

    @Test
    void inOrderWithoutShuffle() {
        StubModel m = stub(s -> 1f);
        Trainer.fit(m, numbered(100), null, new TrainOptions(1, 30, 5, false), TrainListener.NONE);
        assertEquals(List.of(30, 30, 30, 10), m.trainBatches);
        for (int i = 0; i < 100; i++) assertEquals((float) i, m.firstInputs.get(i));
    }

    @Test
    void nonFiniteLossStopsTraining() {
        StubModel m = stub(s -> s == 20 ? Float.NaN : 1f);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.fit(m, numbered(1000), null, new TrainOptions(3, 64, 1, true), TrainListener.NONE));
        assertEquals(2, e.epoch());
        assertEquals(4, e.step());
        assertTrue(Float.isNaN(e.loss()));
        assertTrue(e.getMessage().contains("epoch 2, step 4 of 16 (step 20 overall): the loss is NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("lower learning rate"), e.getMessage());
        StubModel inf = stub(s -> Float.POSITIVE_INFINITY);
        assertThrows(TrainingDivergedException.class,
                () -> Trainer.fit(inf, numbered(10), null, new TrainOptions(1, 5, 1, false), TrainListener.NONE));
    }

    @Test
    void evaluateWeightsTheLossByRows() {
        LogisticModel m = logistic(3);
        Dataset d = gaussians(100, 8);
        EvalResult whole = Trainer.evaluate(m, d, 32);
        EvalResult one = Trainer.evaluate(m, d, 1);
        assertEquals(one.loss(), whole.loss(), 1e-6);
        assertEquals(one.accuracy(), whole.accuracy());
        StubModel s = stub(x -> 0f);
        EvalResult stub = Trainer.evaluate(s, numbered(70), 64);
        assertEquals(List.of(64, 6), s.evalBatches);
        assertEquals(1.0, stub.loss());
        assertTrue(Double.isNaN(stub.accuracy()), "no metric: NaN");
    }

    @Test
    void batchLargerThanTheModelAllows() {
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(logistic(1), gaussians(10, 1), null, new TrainOptions(1, 33, 1, true), TrainListener.NONE));
    }
}

package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.io.TensorFile;
import nnc.runtime.testing.ArenaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early stopping with a scripted model: its one parameter {@code w} counts the train steps (one
 * per epoch here), and its validation loss is a script indexed by {@code w}, so which epoch is
 * best, when patience runs out, and which weights come back are all known in advance.
 */
class EarlyStoppingTest {
    /** Validation loss after epoch e (index e; index 0 is before training). Best: epoch 3. */
    static final float[] VAL_LOSS = {9, 5, 4, 3, 3.5f, 3.2f, 3.1f, 2, 1, 0.5f};

    static final class Scripted extends ArenaModel {
        Scripted() {
            super(new ModelInfo("Scripted", List.of(
                    new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, 1}, null),
                    new TensorSpec("w", Role.PARAM, DType.F32, new int[] {1}, null),
                    new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)), "loss", List.of()), 4);
            floats[offset("w")] = 0;
        }

        float w() { return floats[offset("w")]; }

        @Override public void trainStep(int batch) {
            floats[offset("w")] += 1;
            floats[offset("loss")] = 10 - w();
        }

        @Override public void evaluate(int batch) { floats[offset("loss")] = VAL_LOSS[(int) w()]; }

        @Override public void predict(int batch) { }
    }

    /**
     * {@link Scripted} with state: {@code bn.mean} (inference state, 10·w after each step; evaluate
     * reads its validation loss through it, as batch norm's evaluate reads its running statistics)
     * and {@code w.moment} (optimiser state, 100·w).
     */
    static final class WithState extends ArenaModel {
        WithState() {
            super(new ModelInfo("WithState", List.of(
                    new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, 1}, null),
                    new TensorSpec("w", Role.PARAM, DType.F32, new int[] {1}, null),
                    new TensorSpec("bn.mean", Role.STATE, DType.F32, new int[] {1}, null, true),
                    new TensorSpec("w.moment", Role.STATE, DType.F32, new int[] {1}, null),
                    new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)), "loss", List.of()), 4);
            floats[offset("w")] = 0;
            floats[offset("bn.mean")] = 0;
            floats[offset("w.moment")] = 0;
        }

        float get(String name) { return floats[offset(name)]; }

        @Override public void trainStep(int batch) {
            floats[offset("w")] += 1;
            floats[offset("bn.mean")] = 10 * get("w");
            floats[offset("w.moment")] = 100 * get("w");
            floats[offset("loss")] = 10 - get("w");
        }

        @Override public void evaluate(int batch) { floats[offset("loss")] = VAL_LOSS[(int) (get("bn.mean") / 10)]; }

        @Override public void predict(int batch) { }
    }

    @Test
    void theBestEpochsInferenceStateComesBackWithItsParametersAndTheFinalLossIsItsOwn() {
        WithState m = new WithState();
        TrainResult r = Trainer.fit(m, rows(4), rows(4), new TrainOptions(9, 4, 1, false)
                .withEarlyStopping(new EarlyStopping(3, "val_loss", 0)), TrainListener.NONE);
        assertEquals(3, r.bestEpoch());
        assertEquals(3f, m.get("w"));
        assertEquals(30f, m.get("bn.mean"), "the running statistics of epoch 3 are back");
        assertEquals(600f, m.get("w.moment"), "optimiser state is not part of the model: it stays at epoch 6's");
        assertEquals(3.0, r.valLoss(), "validation of the restored model reads the restored statistics");
        assertEquals(10 - 3, r.finalLoss(), "final_loss is the restored epoch 3's training loss, not epoch 6's");
        assertEquals(10 - 6, r.history().get(5).trainLoss());
    }

    @Test
    void theBestInferenceStateSurvivesACheckpointAndResume(@TempDir Path dir) {
        TrainOptions opts = new TrainOptions(9, 4, 1, false).withEarlyStopping(new EarlyStopping(3, "val_loss", 0));
        Trainer.fit(new WithState(), rows(4), rows(4), new TrainOptions(5, 4, 1, false).withEarlyStopping(new EarlyStopping(3, "val_loss", 0))
                .withCheckpoints(dir, 0), TrainListener.NONE);
        WithState resumed = new WithState();
        TrainResult r = Trainer.fit(resumed, rows(4), rows(4), opts.withResume(dir), TrainListener.NONE);
        assertEquals(3, r.bestEpoch());
        assertEquals(30f, resumed.get("bn.mean"));
        assertEquals(7.0, r.finalLoss(), "epoch 3's loss, from the checkpointed history");
    }

    @Test
    void aCheckpointWhoseBestEpochLacksTheInferenceStateIsRefusedByName(@TempDir Path dir) {
        TrainOptions opts = new TrainOptions(9, 4, 1, false).withEarlyStopping(new EarlyStopping(3, "val_loss", 0));
        Trainer.fit(new WithState(), rows(4), rows(4), new TrainOptions(5, 4, 1, false).withEarlyStopping(new EarlyStopping(3, "val_loss", 0))
                .withCheckpoints(dir, 0), TrainListener.NONE);
        // as an nnc that kept the best epoch's parameters only wrote it
        TensorFile written = SafeTensors.read(Checkpoint.file(dir));
        SafeTensors.write(Checkpoint.file(dir), written.tensors().values().stream().filter(t -> !t.name().equals("best.bn.mean")).toList(),
                written.metadata());
        SafeTensorsException e = assertThrows(SafeTensorsException.class,
                () -> Trainer.fit(new WithState(), rows(4), rows(4), opts.withResume(dir), TrainListener.NONE));
        assertTrue(e.problem().startsWith("the checkpoint's best epoch lacks best.bn.mean (an older nnc"), e.problem());
    }

    static Dataset rows(int n) { return Dataset.regression(new float[n], new int[] {1}, new float[n], 1); }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBest() {
        Scripted m = new Scripted();
        List<Integer> epochs = new ArrayList<>();
        TrainResult r = Trainer.fit(m, rows(4), rows(4), new TrainOptions(9, 4, 1, false)
                .withEarlyStopping(new EarlyStopping(3, "val_loss", 0)), s -> epochs.add(s.epoch()));
        assertEquals(List.of(1, 2, 3, 4, 5, 6), epochs, "epochs 4, 5, 6 do not beat epoch 3's 3.0: stop after 6");
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.bestEpoch());
        assertEquals(3f, m.w(), "the parameters of epoch 3 are back");
        assertEquals(3.0, r.valLoss(), "the final validation figures are the restored weights'");
        assertEquals(6, r.steps());
    }

    @Test
    void minDeltaAndPatienceDecideWhatCountsAsImprovement() {
        Scripted m = new Scripted();
        // min_delta 1: epoch 2's 4 is not below 5 − 1, epoch 3's 3 is; then 3.5, 3.2, 3.1 and epoch 7's 2 are not
        // below 3 − 1, so patience 4 runs out after epoch 7 (without min_delta, epoch 7 would have improved)
        TrainResult r = Trainer.fit(m, rows(4), rows(4), new TrainOptions(9, 4, 1, false)
                .withEarlyStopping(new EarlyStopping(4, "val_loss", 1.0)), TrainListener.NONE);
        assertEquals(3, r.bestEpoch());
        assertEquals(7, r.history().size());
        assertEquals(3f, m.w());
        Scripted patient = new Scripted();
        TrainResult all = Trainer.fit(patient, rows(4), rows(4), new TrainOptions(9, 4, 1, false)
                .withEarlyStopping(new EarlyStopping(5, "val_loss", 0)), TrainListener.NONE);
        assertFalse(all.stoppedEarly(), "epoch 7 improves before patience 5 runs out");
        assertEquals(9, all.bestEpoch());
        assertEquals(9f, patient.w());
    }

    @Test
    void accuraciesImproveUpwards() {
        EarlyStopping acc = new EarlyStopping(2, "val_accuracy", 0.01);
        assertTrue(acc.improves(0.9, 0.88));
        assertFalse(acc.improves(0.885, 0.88));
        assertTrue(acc.improves(0.1, Double.NaN));
        assertFalse(acc.improves(Double.NaN, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(2, "val_los", 0));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, "loss", 0));
    }

    @Test
    void bestWeightsSurviveACheckpointAndResume(@TempDir Path dir) {
        Scripted whole = new Scripted();
        TrainOptions opts = new TrainOptions(9, 4, 1, false).withEarlyStopping(new EarlyStopping(3, "val_loss", 0));
        TrainResult a = Trainer.fit(whole, rows(4), rows(4), opts, TrainListener.NONE);
        Scripted first = new Scripted();
        Trainer.fit(first, rows(4), rows(4), new TrainOptions(5, 4, 1, false).withEarlyStopping(new EarlyStopping(3, "val_loss", 0))
                .withCheckpoints(dir, 0), TrainListener.NONE);
        Scripted second = new Scripted();
        TrainResult b = Trainer.fit(second, rows(4), rows(4), opts.withResume(dir), TrainListener.NONE);
        assertTrue(b.stoppedEarly());
        assertEquals(a.bestEpoch(), b.bestEpoch());
        assertEquals(whole.w(), second.w());
        assertEquals(List.of(6), b.history().stream().map(EpochStats::epoch).toList(), "resumed after epoch 5, stopped after 6");
    }
}

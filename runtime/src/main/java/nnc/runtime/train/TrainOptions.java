package nnc.runtime.train;

import java.nio.file.Path;
import nnc.runtime.Numerics;

/**
 * How {@link Trainer#fit} runs.
 *
 * @param epochs          passes over the training set (0 trains nothing); a resumed run continues up to this many
 * @param batch           rows per step, at most the model's maxBatch; the last step of an epoch may be smaller
 * @param seed            seeds the per-epoch shuffle
 * @param shuffle         visit rows in a fresh seeded permutation every epoch, else in order
 * @param schedule        the learning rate per step, written into the model's {@code lr} state before each step;
 *                        null or constant: the model's own (compiled-in) rate
 * @param earlyStopping   null for none
 * @param checkpointDir   where {@code last.safetensors} is kept current; null for none
 * @param checkpointEvery also write a checkpoint every this many steps (0: only at the end of each epoch)
 * @param resumeDir       continue the run checkpointed in this directory; null to start afresh
 * @param numerics        how much NaN/infinity checking the run does ({@link Numerics.Mode#ON} by default)
 */
public record TrainOptions(int epochs, int batch, long seed, boolean shuffle, LrSchedule schedule, EarlyStopping earlyStopping,
                           Path checkpointDir, long checkpointEvery, Path resumeDir, Numerics.Mode numerics) {
    public TrainOptions {
        if (numerics == null) throw new IllegalArgumentException("numerics must not be null");
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (checkpointEvery < 0) throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + checkpointEvery);
    }

    /** Plain training: no schedule, early stopping or checkpoints. */
    public TrainOptions(int epochs, int batch, long seed, boolean shuffle) {
        this(epochs, batch, seed, shuffle, null, null, null, 0, null, Numerics.Mode.ON);
    }

    public TrainOptions withSchedule(LrSchedule s) {
        return new TrainOptions(epochs, batch, seed, shuffle, s, earlyStopping, checkpointDir, checkpointEvery, resumeDir, numerics);
    }

    public TrainOptions withBatch(int b) {
        return new TrainOptions(epochs, b, seed, shuffle, schedule, earlyStopping, checkpointDir, checkpointEvery, resumeDir, numerics);
    }

    public TrainOptions withEarlyStopping(EarlyStopping e) {
        return new TrainOptions(epochs, batch, seed, shuffle, schedule, e, checkpointDir, checkpointEvery, resumeDir, numerics);
    }

    public TrainOptions withCheckpoints(Path dir, long every) {
        return new TrainOptions(epochs, batch, seed, shuffle, schedule, earlyStopping, dir, every, resumeDir, numerics);
    }

    public TrainOptions withResume(Path dir) {
        return new TrainOptions(epochs, batch, seed, shuffle, schedule, earlyStopping, checkpointDir, checkpointEvery, dir, numerics);
    }

    public TrainOptions withNumerics(Numerics.Mode mode) {
        return new TrainOptions(epochs, batch, seed, shuffle, schedule, earlyStopping, checkpointDir, checkpointEvery, resumeDir, mode);
    }
}

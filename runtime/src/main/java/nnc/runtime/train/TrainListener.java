package nnc.runtime.train;

/**
 * Told about training progress by {@link Trainer#fit}; must be quick (its time counts as training
 * time). It can end a run after an epoch: {@link #stopRequested} is asked after each {@link #epochEnd}.
 */
public interface TrainListener {
    /** Ignores everything. */
    TrainListener NONE = stats -> { };

    /** After each epoch, validation included. */
    void epochEnd(EpochStats stats);

    /**
     * After each train step.
     *
     * @param epoch       1-based
     * @param step        1-based step within the epoch
     * @param stepsPerEpoch steps in this epoch
     * @param loss        the step's mean loss
     */
    default void stepEnd(int epoch, int step, int stepsPerEpoch, float loss) { }

    /**
     * Asked after each {@link #epochEnd}: true ends the run there (epoch, checkpoint and early
     * stopping's restore included), and the result's {@link TrainResult#stoppedByListener} says so.
     */
    default boolean stopRequested() { return false; }
}

package nnc.runtime.train;

import nnc.runtime.data.Dataset;

/**
 * A model whose training rows live with the partitions that train on them (a distributed engine
 * whose workers keep their rows): {@link Trainer#fit} asks it for each epoch's order of the rows
 * instead of {@link EpochOrder}, and tells it which global rows the next {@code trainStep} trains on.
 * The order must be a function of (seed, epoch, shuffle) only, so a run resumed mid-epoch continues
 * as the uninterrupted one. The trainer still feeds the step's rows into the model's own tensors
 * (what its metrics read).
 */
public interface PartitionedRows {
    /** Once, before the first step: place the training rows for global batches of {@code batch} rows. */
    void begin(Dataset train, int batch);

    /** Writes epoch {@code epoch}'s (from 1) order of the training rows into {@code order}. */
    void fillOrder(int[] order, long seed, int epoch, boolean shuffle);

    /** The next {@code trainStep(count)} trains on global rows {@code order[from .. from+count)}. */
    void stepRows(int[] order, int from, int count);
}

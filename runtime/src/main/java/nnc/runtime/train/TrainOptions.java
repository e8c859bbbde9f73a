package nnc.runtime.train;

/**
 * How {@link Trainer#fit} runs.
 *
 * @param epochs  passes over the training set (0 trains nothing)
 * @param batch   rows per step, at most the model's maxBatch; the last step of an epoch may be smaller
 * @param seed    seeds the per-epoch shuffle
 * @param shuffle visit rows in a fresh seeded permutation every epoch, else in order
 */
public record TrainOptions(int epochs, int batch, long seed, boolean shuffle) {
    public TrainOptions {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
}

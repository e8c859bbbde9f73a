package nnc.runtime.train;

/**
 * What one epoch did.
 *
 * @param epoch            1 for the first epoch
 * @param trainLoss        mean loss over the epoch's steps, weighted by rows (parameters change during the epoch)
 * @param trainAccuracy    running accuracy over the epoch's steps, NaN without an accuracy metric
 * @param valLoss          loss on the validation set after the epoch, NaN without one
 * @param valAccuracy      accuracy on the validation set after the epoch, NaN without one or without a metric
 * @param seconds          wall time of the epoch's training steps (validation excluded)
 * @param samplesPerSecond training rows per second of {@code seconds}
 * @param valTopK          top-k accuracy on the validation set after the epoch, NaN without one or without a top-k metric
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                         double seconds, double samplesPerSecond, double valTopK) {
    public EpochStats(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                      double seconds, double samplesPerSecond) {
        this(epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, seconds, samplesPerSecond, Double.NaN);
    }
}

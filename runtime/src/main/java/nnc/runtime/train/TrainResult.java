package nnc.runtime.train;

import java.util.List;

/**
 * The result of {@link Trainer#fit}.
 *
 * @param finalLoss        the last epoch's training loss (its running mean), NaN after 0 epochs
 * @param trainAccuracy    accuracy over the whole training set after training, NaN without a metric
 * @param valLoss          validation loss after the last epoch, NaN without a validation set
 * @param valAccuracy      validation accuracy after the last epoch, NaN without one or without a metric
 * @param steps            train steps run
 * @param samplesPerSecond training rows per second of training wall time (evaluation excluded)
 * @param history          one entry per epoch
 */
public record TrainResult(double finalLoss, double trainAccuracy, double valLoss, double valAccuracy, long steps,
                          double samplesPerSecond, List<EpochStats> history) {
    public TrainResult {
        history = List.copyOf(history);
    }
}

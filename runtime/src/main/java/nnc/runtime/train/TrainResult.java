package nnc.runtime.train;

import java.util.List;

/**
 * The result of {@link Trainer#fit}.
 *
 * @param finalLoss        the training loss (its running mean over the epoch) of the epoch whose model the run ends
 *                         with: the last epoch's, or the best epoch's when early stopping put that back; NaN after 0 epochs
 * @param trainAccuracy    accuracy over the whole training set after training, NaN without a metric
 * @param valLoss          validation loss after training (of the restored best model after early stopping),
 *                         NaN without a validation set
 * @param valAccuracy      validation accuracy likewise, NaN without one or without a metric
 * @param steps            train steps of the whole run (a resumed run counts the steps before the resume too)
 * @param samplesPerSecond training rows per second of training wall time (evaluation excluded)
 * @param history          one entry per epoch run by this call
 * @param bestEpoch        with early stopping: the epoch whose parameters and inference state the model holds at the end; else 0
 * @param stoppedEarly     true when early stopping ended the run before its last epoch
 * @param runHistory       one entry per epoch of the whole run: after a resume, the checkpointed epochs and then {@code history}
 * @param stoppedByListener true when a {@link TrainListener#stopRequested listener} ended the run before its last epoch
 */
public record TrainResult(double finalLoss, double trainAccuracy, double valLoss, double valAccuracy, long steps,
                          double samplesPerSecond, List<EpochStats> history, int bestEpoch, boolean stoppedEarly,
                          List<EpochStats> runHistory, boolean stoppedByListener) {
    public TrainResult {
        history = List.copyOf(history);
        runHistory = List.copyOf(runHistory);
    }

    /** A result of a run no listener stopped. */
    public TrainResult(double finalLoss, double trainAccuracy, double valLoss, double valAccuracy, long steps,
                       double samplesPerSecond, List<EpochStats> history, int bestEpoch, boolean stoppedEarly,
                       List<EpochStats> runHistory) {
        this(finalLoss, trainAccuracy, valLoss, valAccuracy, steps, samplesPerSecond, history, bestEpoch, stoppedEarly, runHistory, false);
    }

    /** A result of a run that was not resumed: the run's history is this call's. */
    public TrainResult(double finalLoss, double trainAccuracy, double valLoss, double valAccuracy, long steps,
                       double samplesPerSecond, List<EpochStats> history, int bestEpoch, boolean stoppedEarly) {
        this(finalLoss, trainAccuracy, valLoss, valAccuracy, steps, samplesPerSecond, history, bestEpoch, stoppedEarly, history);
    }

    /** A result without early stopping. */
    public TrainResult(double finalLoss, double trainAccuracy, double valLoss, double valAccuracy, long steps,
                       double samplesPerSecond, List<EpochStats> history) {
        this(finalLoss, trainAccuracy, valLoss, valAccuracy, steps, samplesPerSecond, history, 0, false);
    }
}

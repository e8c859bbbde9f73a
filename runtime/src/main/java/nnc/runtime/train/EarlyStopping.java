package nnc.runtime.train;

/**
 * Keras-style early stopping: stop when {@code monitor} has not improved by more than
 * {@code minDelta} for {@code patience} epochs in a row, and put back the model of the best epoch:
 * its parameters and inference state (batch norm's running statistics).
 *
 * @param monitor {@code val_loss}, {@code val_accuracy}, {@code val_top_k}, {@code loss} or {@code accuracy}; losses
 *                improve downwards, accuracies upwards
 */
public record EarlyStopping(int patience, String monitor, double minDelta) {
    public EarlyStopping {
        if (patience < 1) throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("min_delta must be at least 0, got " + minDelta);
        value(new EpochStats(1, 0, 0, 0, 0, 0, 0), monitor); // rejects unknown monitors
    }

    /** The monitored value of an epoch (NaN when the epoch lacks it). */
    public double value(EpochStats s) { return value(s, monitor); }

    /** True when {@code value} beats {@code best} by more than {@code minDelta}; any number beats NaN. */
    public boolean improves(double value, double best) {
        if (Double.isNaN(value)) return false;
        if (Double.isNaN(best)) return true;
        return monitor.endsWith("loss") ? value < best - minDelta : value > best + minDelta;
    }

    private static double value(EpochStats s, String monitor) {
        return switch (monitor) {
            case "val_loss" -> s.valLoss();
            case "val_accuracy" -> s.valAccuracy();
            case "loss" -> s.trainLoss();
            case "accuracy" -> s.trainAccuracy();
            case "val_top_k" -> s.valTopK();
            default -> throw new IllegalArgumentException("unknown monitor " + monitor + " (val_loss, val_accuracy, val_top_k, loss, accuracy)");
        };
    }
}

package nnc.runtime.train;

/** The loss or a tensor became NaN or infinite during training: the run cannot continue meaningfully. */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int step;
    private final float loss;

    public TrainingDivergedException(int epoch, int step, int stepsPerEpoch, long globalStep, float loss) {
        super("training diverged in epoch " + epoch + ", step " + step + " of " + stepsPerEpoch + " (step " + globalStep
                + " overall): the loss is " + loss + "; try a lower learning rate (or gradient clipping,"
                + " or inputs scaled to a small range)");
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    /** A run that went non-finite with {@code message} saying where; epoch and step 0 when unknown. */
    public TrainingDivergedException(String message, int epoch, int step, float loss) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    /** 1-based epoch of the failing step. */
    public int epoch() { return epoch; }

    /** 1-based step within the epoch. */
    public int step() { return step; }

    /** The non-finite loss. */
    public float loss() { return loss; }
}

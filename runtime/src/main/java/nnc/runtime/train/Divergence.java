package nnc.runtime.train;

import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;

/**
 * The checks {@link Trainer#fit} makes for {@code --check-numerics} and the messages it stops with:
 * each names where the run was and the first non-finite tensor and element
 * ({@link Numerics#firstNonFinite}). Nothing here runs on a healthy step.
 */
final class Divergence {
    private static final String ADVICE = "; try a lower learning rate (or gradient clipping, or inputs scaled to a small range)";

    private Divergence() {}

    private static String where(int epoch, int step, int stepsPerEpoch, long globalStep) {
        return "epoch " + epoch + ", step " + step + " of " + stepsPerEpoch + " (step " + globalStep + " overall)";
    }

    /** A step's loss is NaN or infinite: names the step and the first non-finite tensor of its batch. */
    static TrainingDivergedException loss(CompiledModel m, int batch, int epoch, int step, int stepsPerEpoch, long globalStep, float loss) {
        String tensor = Numerics.firstNonFinite(m, batch);
        return new TrainingDivergedException("training diverged in " + where(epoch, step, stepsPerEpoch, globalStep) + ": the loss is " + loss
                + (tensor == null ? "" : "; " + tensor) + "; --check-numerics=full names the first kernel and line that made one" + ADVICE,
                epoch, step, loss);
    }

    /** A kernel watched in full mode produced a non-finite value: its message plus the step. */
    static TrainingDivergedException inKernel(NonFiniteValueException e, int epoch, int step, int stepsPerEpoch, long globalStep) {
        return new TrainingDivergedException(e.getMessage() + " in " + where(epoch, step, stepsPerEpoch, globalStep), epoch, step, Float.NaN);
    }

    /** Throws when a parameter or optimiser state holds NaN or an infinity after {@code globalStep} steps (in {@code epoch}). */
    static void checkParameters(CompiledModel m, int epoch, long globalStep) {
        String tensor = Numerics.firstNonFinite(m, 1, List.of(Role.PARAM, Role.STATE));
        if (tensor != null)
            throw new TrainingDivergedException("training diverged in epoch " + epoch + " (after step " + globalStep + " overall): " + tensor
                    + ADVICE, epoch, 0, Float.NaN);
    }

    /** Throws when the validation loss after {@code epoch} is NaN or infinite (the parameters were finite). */
    static void checkValidation(EvalResult val, int epoch) {
        if (val != null && !Double.isFinite(val.loss()))
            throw new TrainingDivergedException("the validation loss after epoch " + epoch + " is " + val.loss()
                    + " while every parameter is finite: an overflow in the forward pass, or non-finite validation data", epoch, 0, (float) val.loss());
    }
}

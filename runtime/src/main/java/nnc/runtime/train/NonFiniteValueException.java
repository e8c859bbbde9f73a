package nnc.runtime.train;

/**
 * A kernel (or, in the interpreter, an operation) produced NaN or an infinity while
 * {@code --check-numerics=full} watched: the message names its {@code .nn} line, the kernel and the
 * element, e.g. {@code model.nn:5: kernel train3 (d_logits = ...) produced NaN at [12, 0]}.
 * {@link Trainer#fit} adds the epoch and step.
 */
public class NonFiniteValueException extends TrainingDivergedException {
    private static final long serialVersionUID = 1L;

    public NonFiniteValueException(String message) {
        super(message, 0, 0, Float.NaN);
    }
}

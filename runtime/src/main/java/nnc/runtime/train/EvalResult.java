package nnc.runtime.train;

/**
 * The result of {@link Trainer#evaluate}.
 *
 * @param loss     mean loss over all rows
 * @param accuracy fraction of correct predictions, NaN without an accuracy metric
 */
public record EvalResult(double loss, double accuracy) {}

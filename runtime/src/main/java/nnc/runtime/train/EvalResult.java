package nnc.runtime.train;

/**
 * The result of {@link Trainer#evaluate}.
 *
 * @param loss     mean loss over all rows
 * @param accuracy fraction of correct predictions, NaN without an accuracy metric
 * @param topK     fraction of positions whose true class is among the k highest scores, NaN without a top-k metric
 */
public record EvalResult(double loss, double accuracy, double topK) {
    public EvalResult(double loss, double accuracy) { this(loss, accuracy, Double.NaN); }
}

package nnc.optim;

import java.util.Map;
import nnc.ir.Node;

/**
 * One optimiser of the {@link OptimizerCatalog}: its options with their defaults, and its update
 * written as Graph IR. Every formula follows PyTorch 1.13's {@code torch.optim} (single-tensor,
 * non-fused code path) so results can be compared with it.
 */
public interface Optimizer {
    /** The name used in a train block: {@code sgd}, {@code adam}, ... */
    String name();

    /** Every option with its default, in the order the documentation lists them. */
    Map<String, Double> defaults();

    /** True when one step sees the whole training set ({@code gd}). */
    default boolean fullBatch() { return false; }

    /**
     * Why {@code value} is not allowed for {@code option}, as the end of a sentence
     * ("must be a positive number"), or null when it is fine.
     */
    default String problem(String option, double value) { return OptionRules.problem(option, value); }

    /** Writes into {@code c} the new values of parameter {@code w} and of its state, given its gradient {@code g}. */
    void step(UpdateContext c, Node w, Node g);
}

package nnc.runtime.parallel;

import nnc.runtime.CompiledModel;

/**
 * A compiled model that also has the two halves of its train step as entries of their own (the
 * generated class of {@code Compilation.dataParallel}, or the interpreter over a split module).
 * {@link SplitModel} turns them into a {@link DataParallelModel}.
 *
 * <p>The halves talk through state tensors: the gradient entry writes each parameter's gradient
 * into state {@link #GRADIENT_PREFIX}{@code NAME} and the new value of each data-dependent state
 * tensor (batch norm's running statistics) into {@link #NEXT_PREFIX}{@code NAME}; the apply entry
 * reads them. {@code gradientEntry(b); applyEntry(1)} is {@code trainStep(b)}, bit for bit.
 */
public interface SplitEntries extends CompiledModel {
    /** Prefix of the state tensors that carry the gradients from the gradient entry to the apply entry. */
    String GRADIENT_PREFIX = "dp.grad.";
    /** Prefix of the state tensors that carry new data-dependent state from the gradient entry to the apply entry. */
    String NEXT_PREFIX = "dp.next.";
    /**
     * The f32 scalar state, present when the model has dropout, that holds the index of the first
     * fed row in the global batch: the gradient entry's dropout masks are drawn by global row.
     */
    String FIRST_ROW = "dp.first_row";

    /** Whether the state tensor {@code name} is one of the exchange tensors above (scratch between the two entries). */
    static boolean isExchange(String name) {
        return name.startsWith(GRADIENT_PREFIX) || name.startsWith(NEXT_PREFIX) || name.equals(FIRST_ROW);
    }

    /**
     * Train-mode forward and loss on the first {@code batch} rows, the gradients of every parameter
     * (before clipping) and the new data-dependent state, into the exchange state tensors; no
     * parameter, optimiser state or other state changes.
     */
    void gradientEntry(int batch);

    /**
     * Clipping and the optimiser's update from the exchange state tensors, the data-dependent state
     * set from them, and the state a step advances on its own (dropout's step counters). Reads no
     * input; {@code batch} is only checked.
     */
    void applyEntry(int batch);
}

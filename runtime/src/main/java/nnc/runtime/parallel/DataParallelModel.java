package nnc.runtime.parallel;

import nnc.runtime.CompiledModel;

/**
 * A compiled model split for synchronous data-parallel training: one replica per partition runs
 * {@link #gradientStep} on its share of the global batch and writes its contribution into a flat
 * exchange vector; the contributions are summed in partition order (never in completion order);
 * every replica (or one master) then runs {@link #applyStep} on the sum, which clips the gradient
 * and applies the optimiser exactly as {@link CompiledModel#trainStep} does, so replicas stay
 * identical bit for bit.
 *
 * <p>The invariant the tests pin: on the same model state and fed rows,
 * {@code gradientStep(b, 1f, x, 0); applyStep(x, 0)} leaves every parameter, every state tensor and
 * {@code loss()} bitwise equal to {@code trainStep(b)}.
 *
 * <p>The exchange vector's layout is {@link #exchangeLength()} floats: every trainable
 * parameter's gradient in model order, then the new values of the state a train step updates
 * outside the optimiser (batch norm's running statistics), then the loss. A partition that holds
 * {@code n_p} of the global batch's {@code N} rows passes {@code weight = n_p / N}, so the sum of the
 * contributions is the gradient of the global batch's mean loss.
 *
 * <p>{@link LocalDataParallel} is the in-process engine over P replicas (the reference a
 * distributed engine is tested against); {@link ModelBundle} ships a compiled model to other JVMs.
 */
public interface DataParallelModel {
    /** The replica's model: inputs and targets are fed through it, parameters and state read from it. */
    CompiledModel model();

    /** Floats in one contribution. */
    int exchangeLength();

    /**
     * Forward, loss and backward on the first {@code batch} fed rows; writes {@code weight} times the
     * contribution into {@code exchange[offset .. offset + exchangeLength())}. Changes no parameter and
     * no optimiser state.
     */
    void gradientStep(int batch, float weight, float[] exchange, int offset);

    /**
     * From a summed exchange vector: gradient clipping and the optimiser's update of every parameter
     * and optimiser state, and the non-optimiser state set from its part of the vector. Reads the
     * learning rate from the model's {@code lr} state when the model has one, as {@code trainStep}.
     */
    void applyStep(float[] exchange, int offset);

    /**
     * The index in the global batch of the first row the next {@link #gradientStep} reads (0 until
     * set): dropout draws its masks by the global row, so P partitions draw the masks one machine
     * draws for the global batch. Changes nothing else; a model without dropout ignores it.
     */
    void firstRow(int row);
}

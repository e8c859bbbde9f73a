package nnc.runtime.train;

import nnc.runtime.CompiledModel;

/**
 * A model that knows how its {@code .nn} file says to train it: what generated trainers
 * implement, so {@link Trainer#fit(TrainableModel, nnc.runtime.data.Dataset)} needs no options.
 */
public interface TrainableModel extends CompiledModel {
    /** The model's train block, defaults filled in. */
    TrainBlock trainBlock();
}

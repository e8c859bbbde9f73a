package nnc.optim;

import java.util.Map;
import nnc.ir.Node;

/**
 * Full-batch gradient descent: the update of {@link Sgd}, but every step sees the whole training
 * set, so an epoch is one step and the gradient is the exact gradient of the training loss.
 */
final class Gd implements Optimizer {
    private static final Map<String, Double> DEFAULTS = Options.of("lr", 0.01, "weight_decay", 0);
    private final Sgd sgd = new Sgd();

    @Override public String name() { return "gd"; }

    @Override public Map<String, Double> defaults() { return DEFAULTS; }

    @Override public boolean fullBatch() { return true; }

    @Override public void step(UpdateContext c, Node w, Node g) { sgd.step(c, w, g); }
}

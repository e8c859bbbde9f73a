package nnc.optim;

import java.util.Map;
import nnc.ir.Node;

/** Mini-batch stochastic gradient descent as {@code torch.optim.SGD} without momentum: {@code w ← w − lr·(g + wd·w)}. */
final class Sgd implements Optimizer {
    private static final Map<String, Double> DEFAULTS = Options.of("lr", 0.01, "weight_decay", 0);

    @Override public String name() { return "sgd"; }

    @Override public Map<String, Double> defaults() { return DEFAULTS; }

    @Override public void step(UpdateContext c, Node w, Node g) {
        var b = c.builder();
        c.update(w, b.sub(w, b.mul(c.lr(), c.withWeightDecay(w, g))));
    }
}

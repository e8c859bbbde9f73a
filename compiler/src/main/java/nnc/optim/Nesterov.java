package nnc.optim;

import java.util.Map;
import nnc.ir.Node;

/**
 * Nesterov momentum as {@code torch.optim.SGD(momentum, nesterov=True, weight_decay)}: with
 * {@code d = g + wd·w} and the momentum buffer {@code buf} of {@link Momentum} (no dampening),
 * {@code w ← w − lr·(d + μ·buf)}.
 */
final class Nesterov implements Optimizer {
    private static final Map<String, Double> DEFAULTS = Options.of("lr", 0.01, "momentum", 0.9, "weight_decay", 0);

    @Override public String name() { return "nesterov"; }

    @Override public Map<String, Double> defaults() { return DEFAULTS; }

    @Override public String problem(String option, double value) {
        if (option.equals("momentum") && value == 0) return "must be above 0 (Nesterov momentum needs momentum)";
        return Optimizer.super.problem(option, value);
    }

    @Override public void step(UpdateContext c, Node w, Node g) {
        var b = c.builder();
        Node d = c.withWeightDecay(w, g);
        Node buf = Momentum.buffer(c, w, d, 0);
        c.update(w, b.sub(w, b.mul(c.lr(), b.add(d, b.mul(c.option("momentum"), buf)))));
    }
}

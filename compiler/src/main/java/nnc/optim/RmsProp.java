package nnc.optim;

import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.UnaryFn;

/**
 * RMSprop as {@code torch.optim.RMSprop} (not centred): with {@code d = g + wd·w},
 * {@code s ← α·s + (1−α)·d²}, {@code a = √s + ε}; without momentum {@code w ← w − lr·d/a}, with
 * momentum {@code buf ← μ·buf + d/a} and {@code w ← w − lr·buf}.
 */
final class RmsProp implements Optimizer {
    private static final Map<String, Double> DEFAULTS =
            Options.of("lr", 0.01, "alpha", 0.99, "eps", 1e-8, "momentum", 0, "weight_decay", 0);

    @Override public String name() { return "rmsprop"; }

    @Override public Map<String, Double> defaults() { return DEFAULTS; }

    @Override public void step(UpdateContext c, Node w, Node g) {
        GraphBuilder b = c.builder();
        Node d = c.withWeightDecay(w, g);
        double alpha = c.value("alpha");
        Node s = c.stateOf(w, "rmsprop_sq");
        Node s2 = c.moment(b.add(b.mul(b.constant(alpha), s), b.mul(b.constant(1 - alpha), b.mul(d, d))));
        c.update(s, s2);
        Node scaled = b.div(d, b.add(b.unary(UnaryFn.SQRT, s2), c.option("eps")));
        Node direction = scaled;
        if (c.value("momentum") > 0) {
            Node buf = c.stateOf(w, "rmsprop_buf");
            direction = c.moment(b.add(b.mul(c.option("momentum"), buf), scaled));
            c.update(buf, direction);
        }
        c.update(w, b.sub(w, b.mul(c.lr(), direction)));
    }
}

package nnc.optim;

import java.util.Map;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;

/**
 * SGD with momentum as {@code torch.optim.SGD(momentum, dampening, weight_decay)}: with
 * {@code d = g + wd·w}, the buffer is {@code d} at the first step and {@code μ·buf + (1 − τ)·d}
 * after; {@code w ← w − lr·buf}.
 */
final class Momentum implements Optimizer {
    private static final Map<String, Double> DEFAULTS = Options.of("lr", 0.01, "momentum", 0.9, "dampening", 0, "weight_decay", 0);

    @Override public String name() { return "momentum"; }

    @Override public Map<String, Double> defaults() { return DEFAULTS; }

    @Override public void step(UpdateContext c, Node w, Node g) {
        Node d = c.withWeightDecay(w, g);
        Node buf = buffer(c, w, d, c.value("dampening"));
        c.update(w, c.builder().sub(w, c.builder().mul(c.lr(), buf)));
    }

    /** The new momentum buffer of {@code w} (updated in {@code c}); PyTorch starts it at {@code d}, undamped. */
    static Node buffer(UpdateContext c, Node w, Node d, double dampening) {
        GraphBuilder b = c.builder();
        Node old = c.stateOf(w, "momentum");
        Node decayed = b.mul(c.option("momentum"), old);
        Node next = b.add(decayed, dampening == 0 ? d : b.mul(b.constant(1 - dampening), d));
        if (dampening != 0) {
            // At t = 1 the buffer is still zero, so μ·0 + (1 − τ)·d would be damped: PyTorch copies d instead.
            Node first = b.binary(BinaryFn.EQ, c.stepCount(), b.constant(1));
            next = b.add(b.mul(first, d), b.mul(b.sub(b.constant(1), first), next));
        }
        next = c.moment(next);
        c.update(old, next);
        return next;
    }
}

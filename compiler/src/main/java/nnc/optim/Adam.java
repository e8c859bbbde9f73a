package nnc.optim;

import java.util.Map;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.UnaryFn;

/**
 * Adam (Kingma &amp; Ba) as {@code torch.optim.Adam}: with {@code d = g + wd·w},
 * {@code m ← β1·m + (1−β1)·d}, {@code v ← β2·v + (1−β2)·d²} and
 * {@code w ← w − (lr / (1−β1ᵗ)) · m / (√v · (1 / √(1−β2ᵗ)) + ε)}. The bias corrections are scalars
 * computed once per step, so the loop over the weights does one square root and one division per
 * element (PyTorch divides by √(1−β2ᵗ) instead of multiplying by its reciprocal: the denominators
 * differ by at most an ulp or so).
 */
final class Adam implements Optimizer {
    private static final Map<String, Double> DEFAULTS =
            Options.of("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0);

    @Override public String name() { return "adam"; }

    @Override public Map<String, Double> defaults() { return DEFAULTS; }

    @Override public void step(UpdateContext c, Node w, Node g) {
        c.update(w, adamStep(c, w, w, c.withWeightDecay(w, g)));
    }

    /** {@code from} (parameter {@code w}, perhaps decayed) after Adam's step along {@code d}; updates w's moments in {@code c}. */
    static Node adamStep(UpdateContext c, Node w, Node from, Node d) {
        GraphBuilder b = c.builder();
        Node one = b.constant(1);
        double beta1 = c.value("beta1"), beta2 = c.value("beta2");
        Node m = c.stateOf(w, "adam_m");
        Node v = c.stateOf(w, "adam_v");
        Node m2 = c.moment(b.add(b.mul(b.constant(beta1), m), b.mul(b.constant(1 - beta1), d)));
        Node v2 = c.moment(b.add(b.mul(b.constant(beta2), v), b.mul(b.constant(1 - beta2), b.mul(d, d))));
        Node t = c.stepCount();
        Node bc1 = b.sub(one, b.binary(BinaryFn.POW, b.constant(beta1), t));
        Node bc2 = b.sub(one, b.binary(BinaryFn.POW, b.constant(beta2), t));
        Node invRoot2 = b.div(one, b.unary(UnaryFn.SQRT, bc2));
        Node denom = b.add(b.mul(b.unary(UnaryFn.SQRT, v2), invRoot2), c.option("eps"));
        Node stepSize = b.div(c.lr(), bc1);
        c.update(m, m2);
        c.update(v, v2);
        return b.sub(from, b.mul(stepSize, b.div(m2, denom)));
    }
}

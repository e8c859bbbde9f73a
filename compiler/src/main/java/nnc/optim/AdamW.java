package nnc.optim;

import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * AdamW (Loshchilov &amp; Hutter) as {@code torch.optim.AdamW}: decoupled weight decay
 * {@code w ← w·(1 − lr·wd)}, then {@link Adam}'s step on the plain gradient.
 */
final class AdamW implements Optimizer {
    private static final Map<String, Double> DEFAULTS =
            Options.of("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.01);

    @Override public String name() { return "adamw"; }

    @Override public Map<String, Double> defaults() { return DEFAULTS; }

    @Override public void step(UpdateContext c, Node w, Node g) {
        GraphBuilder b = c.builder();
        double wd = c.value("weight_decay");
        Node decayed = w;
        if (wd != 0) {
            // PyTorch forms 1 − lr·wd in double when lr is a number; a scheduled lr is an f32 tensor.
            Node keep = c.lr().op() instanceof Op.Constant
                    ? b.constant(1 - c.value("lr") * wd)
                    : b.sub(b.constant(1), b.mul(c.lr(), b.constant(wd)));
            decayed = b.mul(w, keep);
        }
        c.update(w, Adam.adamStep(c, w, decayed, g));
    }
}

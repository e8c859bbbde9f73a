package nnc.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.UnaryFn;
import nnc.types.TensorType;

/**
 * The optimiser update written as Graph IR: given each parameter and its gradient, the new values
 * of the parameters and of the optimiser's state, keyed by tensor name. Formulas follow PyTorch's
 * {@code torch.optim} so results can be compared with it.
 */
public enum Optimizer {
    /** {@code w ← w − lr·g}. */
    SGD(Set.of("lr")) {
        @Override void step(Ctx c, Node w, Node g) {
            c.update(w, c.b.sub(w, c.b.mul(c.opt("lr", 0.01), g)));
        }
    },
    /**
     * Adam (Kingma & Ba) as torch.optim.Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
     * w ← w − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
     */
    ADAM(Set.of("lr", "beta1", "beta2", "eps")) {
        @Override void step(Ctx c, Node w, Node g) {
            GraphBuilder b = c.b;
            Node one = b.constant(1);
            Node beta1 = c.opt("beta1", 0.9), beta2 = c.opt("beta2", 0.999);
            Node m = c.state(paramName(w) + ".adam_m", w.type());
            Node v = c.state(paramName(w) + ".adam_v", w.type());
            Node m2 = b.add(b.mul(beta1, m), b.mul(b.sub(one, beta1), g));
            Node v2 = b.add(b.mul(beta2, v), b.mul(b.sub(one, beta2), b.mul(g, g)));
            Node t = c.stepCount();
            Node bc1 = b.sub(one, b.binary(BinaryFn.POW, beta1, t));
            Node bc2 = b.sub(one, b.binary(BinaryFn.POW, beta2, t));
            Node denom = b.add(b.div(b.unary(UnaryFn.SQRT, v2), b.unary(UnaryFn.SQRT, bc2)), c.opt("eps", 1e-8));
            Node stepSize = b.div(c.opt("lr", 0.001), bc1);
            c.update(m, m2);
            c.update(v, v2);
            c.update(w, b.sub(w, b.mul(stepSize, b.div(m2, denom))));
        }
    };

    private final Set<String> optionNames;

    Optimizer(Set<String> optionNames) { this.optionNames = optionNames; }

    public Set<String> optionNames() { return optionNames; }

    abstract void step(Ctx c, Node w, Node g);

    /** The updates of one training step for every (parameter, gradient) pair. */
    public Map<String, Node> updates(GraphBuilder b, Map<String, Double> options, Map<Node, Node> gradients) {
        Ctx c = new Ctx(b, options);
        gradients.forEach((w, g) -> step(c, w, g));
        return c.updates;
    }

    public static Optimizer named(String name) {
        return switch (name) {
            case "sgd" -> SGD;
            case "adam" -> ADAM;
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' (known: sgd, adam)");
        };
    }

    static String paramName(Node w) { return ((Op.Param) w.op()).name(); }

    /** Shared per-step context: options, state leaves, the step counter and the updates so far. */
    static final class Ctx {
        final GraphBuilder b;
        final Map<String, Double> options;
        final Map<String, Node> updates = new LinkedHashMap<>();
        private Node step;

        Ctx(GraphBuilder b, Map<String, Double> options) {
            this.b = b;
            this.options = options;
        }

        Node opt(String name, double dflt) { return b.constant(options.getOrDefault(name, dflt)); }

        Node state(String name, TensorType type) { return b.node(new Op.State(name, type)); }

        /** t, counting from 1 at the first step; the counter itself is state {@code step}. */
        Node stepCount() {
            if (step == null) {
                Node old = state("step", TensorType.F32_SCALAR);
                step = b.add(old, b.constant(1));
                updates.put("step", step);
            }
            return step;
        }

        void update(Node leaf, Node value) {
            String name = switch (leaf.op()) {
                case Op.Param p -> p.name();
                case Op.State s -> s.name();
                default -> throw new IllegalArgumentException("only params and state are updated");
            };
            updates.put(name, value);
        }
    }
}

package nnc.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.UnaryFn;
import nnc.runtime.train.Trainer;
import nnc.types.TensorType;

/**
 * What an {@link Optimizer} builds its update with: the graph builder, the option values, state
 * leaves, the step counter, the learning rate, and the updates written so far (keyed by the name
 * of the parameter or state tensor they replace).
 *
 * <p>The step counter is the f32 state tensor {@value #STEP}, counting from 1 at the first step.
 * An f32 counts exactly up to 2<sup>24</sup> = 16,777,216 steps; past that {@code t + 1} rounds to
 * {@code t} and the counter stops. Only Adam's bias corrections {@code 1 − βᵗ} read it, and those
 * are exactly 1f long before then (for β ≤ 0.999 after about 17,000 steps), so updates do not
 * change. Learning-rate schedules do not read it: the runtime computes the rate from its own
 * 64-bit step count and writes it into the state tensor {@value #LR}.
 */
public final class UpdateContext {
    /** Name of the step-counter state tensor. */
    public static final String STEP = "step";
    /** Name of the learning-rate state tensor, present when the rate follows a schedule. */
    public static final String LR = Trainer.LR;

    private final GraphBuilder b;
    private final Map<String, Double> options;
    private final boolean scheduledLr;
    private final Map<String, Node> updates = new LinkedHashMap<>();
    private Node step;

    /**
     * @param options     every option of the optimiser, defaults filled in
     * @param scheduledLr read the learning rate from the state tensor {@value #LR} instead of the constant option
     */
    UpdateContext(GraphBuilder b, Map<String, Double> options, boolean scheduledLr) {
        this.b = b;
        this.options = options;
        this.scheduledLr = scheduledLr;
    }

    public GraphBuilder builder() { return b; }

    /** The value of option {@code name}. */
    public double value(String name) {
        Double v = options.get(name);
        if (v == null) throw new IllegalArgumentException("no option " + name);
        return v;
    }

    /** Option {@code name} as a constant node. */
    public Node option(String name) { return b.constant(value(name)); }

    /** The learning rate of this step: the constant option, or the scheduled state tensor. */
    public Node lr() { return scheduledLr ? state(LR, TensorType.F32_SCALAR) : option("lr"); }

    /** Optimiser state {@code name} (zero before the first step). */
    public Node state(String name, TensorType type) { return b.node(new Op.State(name, type)); }

    /** Per-parameter state: {@code h.W.adam_m}. */
    public Node stateOf(Node param, String suffix) { return state(paramName(param) + "." + suffix, param.type()); }

    /** t, 1 at the first step; its update is added on first use. */
    public Node stepCount() {
        if (step == null) {
            step = b.add(state(STEP, TensorType.F32_SCALAR), b.constant(1));
            updates.put(STEP, step);
        }
        return step;
    }

    /** PyTorch's L2 weight decay folded into the gradient: {@code g + wd·w} (just {@code g} when wd is 0). */
    public Node withWeightDecay(Node w, Node g) {
        double wd = value("weight_decay");
        return wd == 0 ? g : b.add(g, b.mul(b.constant(wd), w));
    }

    /** Parameter or state {@code leaf} takes {@code value} after the step. */
    /**
     * {@code value} with subnormals flushed to +0: every decaying optimiser moment goes through it
     * before it is stored and used (why: {@code ScalarMath.flushSubnormal}). Differs from PyTorch
     * only below 1.2e-38, where a moment's share of an update is far below a float's resolution.
     */
    public Node moment(Node value) { return b.unary(UnaryFn.FLUSH, value); }

    public void update(Node leaf, Node value) {
        if (!(leaf.op() instanceof Op.Carried carried)) throw new IllegalArgumentException("only params and state are updated");
        updates.put(carried.name(), value);
    }

    Map<String, Node> updates() { return updates; }

    static String paramName(Node w) { return ((Op.Param) w.op()).name(); }
}

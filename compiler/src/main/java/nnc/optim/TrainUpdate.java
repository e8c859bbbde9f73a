package nnc.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;

/**
 * The "train" stage: from each parameter's gradient, the new values of the parameters and of the
 * optimiser state after one step, as Graph IR. Gradients are clipped first when the train block
 * asks for it (as {@code torch.nn.utils.clip_grad_*} before {@code optimizer.step()}), then the
 * configured optimiser writes its update; weight decay is part of the optimiser.
 */
public final class TrainUpdate {
    private TrainUpdate() {}

    /** Updates keyed by the name of the parameter or state tensor they replace, in parameter order. */
    public static Map<String, Node> updates(GraphBuilder b, TrainConfig cfg, Map<Node, Node> gradients) {
        Optimizer opt = OptimizerCatalog.named(cfg.optimizer());
        Map<String, Double> options = new LinkedHashMap<>(opt.defaults());
        options.putAll(cfg.optimizerOptions());
        Map<Node, Node> grads = GradientClipping.apply(b, cfg.clipping(), gradients);
        UpdateContext c = new UpdateContext(b, options, !cfg.schedule().isConstant());
        grads.forEach((w, g) -> opt.step(c, w, g));
        return c.updates();
    }
}

package nnc.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.UnaryFn;

/**
 * Gradient clipping as IR, applied to every gradient before the optimiser sees it:
 * <ul>
 *   <li>by value, as {@code torch.nn.utils.clip_grad_value_}: {@code g ← min(max(g, −c), c)};</li>
 *   <li>by global norm, as {@code torch.nn.utils.clip_grad_norm_}: with
 *       {@code n = √(Σ over all parameters of Σ g²)}, every gradient is multiplied by
 *       {@code min(c / (n + 1e-6), 1)}.</li>
 * </ul>
 */
final class GradientClipping {
    private GradientClipping() {}

    static Map<Node, Node> apply(GraphBuilder b, TrainConfig.Clipping clipping, Map<Node, Node> gradients) {
        if (clipping == null) return gradients;
        Map<Node, Node> out = new LinkedHashMap<>();
        Node limit = b.constant(clipping.limit());
        switch (clipping.kind()) {
            case VALUE -> {
                Node low = b.constant(-clipping.limit());
                gradients.forEach((w, g) -> out.put(w, b.binary(BinaryFn.MIN, b.binary(BinaryFn.MAX, g, low), limit)));
            }
            case NORM -> {
                Node squares = null;
                for (Node g : gradients.values()) {
                    Node s = b.sumAll(b.mul(g, g));
                    squares = squares == null ? s : b.add(squares, s);
                }
                if (squares == null) return gradients;
                Node norm = b.unary(UnaryFn.SQRT, squares);
                Node coef = b.binary(BinaryFn.MIN, b.div(limit, b.add(norm, b.constant(1e-6))), b.constant(1));
                gradients.forEach((w, g) -> out.put(w, b.mul(g, coef)));
            }
        }
        return out;
    }
}

package nnc.autodiff;

import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.SpatialFn;

/**
 * Derivatives of convolution and pooling. The convolution ops are bilinear, and each one's partial
 * derivatives are the other two with the adjoint in place of one operand:
 * {@code ⟨conv(x, w), dy⟩ = ⟨x, gradInput(dy, w)⟩ = ⟨w, gradWeight(x, dy)⟩}. Average pooling and its
 * backward op are adjoint linear maps. Max pooling's backward op is linear in {@code dy} (a scatter
 * to each window's first maximum) and piecewise constant in {@code x}; its own derivative is not
 * provided (no second derivatives are taken through max pooling).
 */
final class SpatialVjp {
    private SpatialVjp() {}

    static List<Node> vjp(GraphBuilder b, Op.Spatial s, Node y, Node g) {
        List<Node> in = y.inputs();
        return switch (s.fn()) {
            case CONV2D -> List.of(b.node(s.with(SpatialFn.CONV2D_GRAD_INPUT), g, in.get(1)),
                    b.node(s.with(SpatialFn.CONV2D_GRAD_WEIGHT), in.get(0), g));
            // y = gradInput(dy, w): ∂dy = conv(g, w), ∂w = gradWeight(g, dy)
            case CONV2D_GRAD_INPUT -> List.of(b.node(s.with(SpatialFn.CONV2D), g, in.get(1)),
                    b.node(s.with(SpatialFn.CONV2D_GRAD_WEIGHT), g, in.get(0)));
            // y = gradWeight(x, dy): ∂x = gradInput(dy, g), ∂dy = conv(x, g)
            case CONV2D_GRAD_WEIGHT -> List.of(b.node(s.with(SpatialFn.CONV2D_GRAD_INPUT), in.get(1), g),
                    b.node(s.with(SpatialFn.CONV2D), in.get(0), g));
            case MAX_POOL2D -> List.of(b.node(s.with(SpatialFn.MAX_POOL2D_GRAD), in.get(0), g));
            case AVG_POOL2D -> List.of(b.node(s.with(SpatialFn.AVG_POOL2D_GRAD), g));
            case AVG_POOL2D_GRAD -> List.of(b.node(s.with(SpatialFn.AVG_POOL2D), g));
            case MAX_POOL2D_GRAD -> throw new UnsupportedOperationException("second derivatives through max_pool2d are not supported");
        };
    }

}

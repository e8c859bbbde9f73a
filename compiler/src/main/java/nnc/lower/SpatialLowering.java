package nnc.lower;

import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.SpatialFn;
import nnc.types.Dim;
import nnc.types.Shape;

/** Lowers {@code conv2d} (a convolution plus the bias over each channel) and pooling to {@link Op.Spatial}. */
final class SpatialLowering {
    private SpatialLowering() {}

    static Node conv2d(GraphBuilder b, Node x, Node w, Node bias, Map<String, Object> options) {
        Node y = b.node(window(SpatialFn.CONV2D, x, ((Number) w.shape().dim(2).size()).intValue(), options), x, w);
        // the bias [out] as [out, 1, 1], broadcast over batch, height and width
        return b.add(y, b.reshape(bias, Shape.of(bias.shape().dim(0), Dim.ONE, Dim.ONE)));
    }

    static Node pool(GraphBuilder b, SpatialFn fn, Node x, Map<String, Object> options) {
        return b.node(window(fn, x, ((Number) options.get("kernel")).intValue(), options), x);
    }

    private static Op.Spatial window(SpatialFn fn, Node x, int k, Map<String, Object> options) {
        int stride = ((Number) options.get("stride")).intValue(), pad = ((Number) options.get("padding")).intValue();
        return new Op.Spatial(fn, k, stride, pad, (int) x.shape().dim(2).size(), (int) x.shape().dim(3).size());
    }
}

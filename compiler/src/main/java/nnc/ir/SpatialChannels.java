package nnc.ir;

import nnc.types.Dim;

/**
 * The channel counts of a convolution or pooling node ({@link Op.Spatial}): {@code c} of the
 * forward input, {@code oc} of the convolution's output ({@code c} for pooling). With the window
 * and the batch (axis 0 of the first input) they are the whole geometry of the runtime call.
 */
public record SpatialChannels(int c, int oc) {
    public static SpatialChannels of(Node n) {
        Op.Spatial s = (Op.Spatial) n.op();
        Node a = n.input(0);
        return switch (s.fn()) {
            case CONV2D -> new SpatialChannels(fixed(a.shape().dim(1)), fixed(n.input(1).shape().dim(0)));
            case CONV2D_GRAD_INPUT -> new SpatialChannels(fixed(n.input(1).shape().dim(1)) * s.groups(), fixed(n.input(1).shape().dim(0)));
            case CONV2D_GRAD_WEIGHT -> new SpatialChannels(fixed(a.shape().dim(1)), fixed(n.input(1).shape().dim(1)));
            case MAX_POOL2D, AVG_POOL2D, MAX_POOL2D_GRAD, AVG_POOL2D_GRAD -> new SpatialChannels(fixed(a.shape().dim(1)), fixed(a.shape().dim(1)));
        };
    }

    private static int fixed(Dim d) {
        if (!(d instanceof Dim.Fixed f)) throw new IllegalStateException("image channels must be fixed, got " + d);
        return (int) f.size();
    }
}

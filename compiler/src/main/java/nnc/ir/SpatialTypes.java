package nnc.ir;

import java.util.List;
import nnc.runtime.DType;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.TensorType;

/** Result types of the convolution and pooling primitives ({@link Op.Spatial}); NCHW throughout. */
final class SpatialTypes {
    private SpatialTypes() {}

    static TensorType infer(Op.Spatial s, List<Node> in) throws ShapeError {
        if (in.size() != s.fn().arity()) throw new ShapeError(s.mnemonic() + " takes " + s.fn().arity() + " inputs, got " + in.size());
        for (Node x : in) {
            if (x.type().dtype() != DType.F32) throw new ShapeError(s.mnemonic() + " needs f32 inputs, got " + x.type());
            if (x.shape().rank() != 4) throw new ShapeError(s.mnemonic() + " needs rank-4 inputs, got " + x.shape());
        }
        Shape a = in.get(0).shape();
        Dim oh = Dim.of(s.outH()), ow = Dim.of(s.outW()), h = Dim.of(s.inH()), w = Dim.of(s.inW()), kh = Dim.of(s.kh()), kw = Dim.of(s.kw());
        if (s.outH() < 1 || s.outW() < 1) throw new ShapeError(s.mnemonic() + ": window " + s.kh() + "x" + s.kw() + " larger than the padded image");
        return TensorType.f32(switch (s.fn()) {
            case CONV2D -> {
                Shape wt = in.get(1).shape();
                image(s, a, h, w);
                if (!wt.dim(1).equals(Dim.of(a.dim(1).size() / s.groups())) || !wt.dim(2).equals(kh) || !wt.dim(3).equals(kw))
                    throw new ShapeError("conv2d weight " + wt + " does not fit input " + a);
                yield Shape.of(a.dim(0), wt.dim(0), oh, ow);
            }
            case CONV2D_GRAD_INPUT -> {
                Shape wt = in.get(1).shape();
                image(s, a, oh, ow);
                if (!wt.dim(0).equals(a.dim(1))) throw new ShapeError("conv2d_grad_input weight " + wt + " does not fit " + a);
                yield Shape.of(a.dim(0), Dim.of(wt.dim(1).size() * s.groups()), h, w);
            }
            case CONV2D_GRAD_WEIGHT -> {
                Shape dy = in.get(1).shape();
                image(s, a, h, w);
                image(s, dy, oh, ow);
                yield Shape.of(dy.dim(1), Dim.of(a.dim(1).size() / s.groups()), kh, kw);
            }
            case MAX_POOL2D, AVG_POOL2D -> {
                image(s, a, h, w);
                yield Shape.of(a.dim(0), a.dim(1), oh, ow);
            }
            case MAX_POOL2D_GRAD -> {
                image(s, a, h, w);
                Shape dy = in.get(1).shape();
                if (!dy.equals(Shape.of(a.dim(0), a.dim(1), oh, ow))) throw new ShapeError("max_pool2d_grad gradient " + dy + " does not fit " + a);
                yield a;
            }
            case AVG_POOL2D_GRAD -> {
                image(s, a, oh, ow);
                yield Shape.of(a.dim(0), a.dim(1), h, w);
            }
        });
    }

    private static void image(Op.Spatial s, Shape x, Dim h, Dim w) throws ShapeError {
        if (!x.dim(2).equals(h) || !x.dim(3).equals(w))
            throw new ShapeError(s.mnemonic() + " expects images of " + h + "x" + w + ", got " + x);
    }
}

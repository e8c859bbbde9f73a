package nnc.schedule;

import java.util.function.Function;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.SpatialChannels;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.runtime.kernels.SpatialCalls;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * Schedules a convolution or pooling node as one {@link Kernel.Call} of the runtime's routine: the
 * integer geometry from the node's shapes and window, and (convolutions) a workspace buffer of
 * {@code SpatialCalls.convWorkspaceFloats} floats, a fixed-size intermediate the memory planner
 * places like any other.
 */
final class SpatialKernels {
    private SpatialKernels() {}

    /**
     * @param load      the buffer holding an input's value
     * @param workspace makes a fresh intermediate buffer of the given shape
     */
    static Kernel.Call call(Node n, Buffer out, Function<Node, Buffer> load, Function<Shape, Buffer> workspace) {
        Op.Spatial s = (Op.Spatial) n.op();
        Node a = n.input(0);
        Node b = n.inputs().size() > 1 ? n.input(1) : null;
        SpatialChannels ch = SpatialChannels.of(n);
        int c = ch.c(), oc = ch.oc();
        Dim batch = a.shape().dim(0);
        Buffer ab = load.apply(a), bb = b == null ? null : load.apply(b);
        if (ab == out || bb == out) throw new IllegalStateException("library call output aliases an operand: " + n);
        Buffer work = s.fn().isConv()
                ? workspace.apply(Shape.of(SpatialCalls.convWorkspaceFloats(c, s.inH(), s.inW(), oc, s.kh(), s.kw(), s.sh(), s.sw(), s.ph(), s.pw(), s.dh(), s.dw(), s.groups())))
                : null;
        return new Kernel.Call(s.fn(), ab, bb, out, work, batch, c, s.inH(), s.inW(), oc, s.kh(), s.kw(), s.sh(), s.sw(), s.ph(), s.pw(), s.dh(), s.dw(), s.groups());
    }
}

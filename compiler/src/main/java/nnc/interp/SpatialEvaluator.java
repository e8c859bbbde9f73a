package nnc.interp;

import java.util.IdentityHashMap;
import java.util.Map;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.SpatialChannels;
import nnc.runtime.kernels.Conv2d;
import nnc.runtime.kernels.SpatialCalls;

/**
 * The interpreter's convolution and pooling: the same runtime routines as generated code
 * ({@link SpatialCalls}), so interpreted and compiled steps agree. The workspace is kept per node
 * and reused across steps.
 */
final class SpatialEvaluator {
    private final Map<Node, float[]> workspaces = new IdentityHashMap<>();

    float[] evaluate(Node n, int batch, float[] a, float[] b, float[] out) {
        Op.Spatial s = (Op.Spatial) n.op();
        SpatialChannels ch = SpatialChannels.of(n);
        int c = ch.c(), oc = ch.oc(), h = s.inH(), w = s.inW(), kh = s.kh(), kw = s.kw(), sh = s.sh(), sw = s.sw(), ph = s.ph(), pw = s.pw(), dh = s.dh(), dw = s.dw(), groups = s.groups();
        float[] work = s.fn().isConv()
                ? workspaces.computeIfAbsent(n, x -> new float[new Conv2d.Geometry(1, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups).workspaceFloats()])
                : null;
        switch (s.fn()) {
            case CONV2D -> SpatialCalls.conv2dForward(a, b, out, work, batch, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups);
            case CONV2D_GRAD_INPUT -> SpatialCalls.conv2dBackwardInput(a, b, out, work, batch, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups);
            case CONV2D_GRAD_WEIGHT -> SpatialCalls.conv2dBackwardWeight(a, b, out, work, batch, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups);
            case MAX_POOL2D -> SpatialCalls.maxPoolForward(a, b, out, work, batch, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups);
            case AVG_POOL2D -> SpatialCalls.avgPoolForward(a, b, out, work, batch, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups);
            case MAX_POOL2D_GRAD -> SpatialCalls.maxPoolBackward(a, b, out, work, batch, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups);
            case AVG_POOL2D_GRAD -> SpatialCalls.avgPoolBackward(a, b, out, work, batch, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups);
        }
        return out;
    }
}

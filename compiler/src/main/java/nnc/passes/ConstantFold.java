package nnc.passes;

import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * Constant folding: an elementwise op whose inputs are all constants (also broadcast or reshaped
 * ones) becomes one constant, broadcast to the op's shape. Values are computed in f32 with the
 * functions' own f32 semantics ({@link nnc.ir.UnaryFn#apply}), so folding changes no result bit
 * (e.g. Adam's {@code 1 − β1}).
 */
public final class ConstantFold implements Pass {
    @Override public String name() { return "constant-fold"; }

    @Override public IrModule run(IrModule module, PassReport report) {
        return ModuleRewriter.rebuild(module, ConstantFold::fold);
    }

    private static Node fold(GraphBuilder b, Node old, List<Node> in) {
        Float value = null; // other ops (and ops added later) are left alone
        if (old.op() instanceof Op.Unary u) {
            Float x = Pattern.constantValue(in.get(0));
            if (x != null) value = u.fn().apply(x);
        } else if (old.op() instanceof Op.Binary bin) {
            Float x = Pattern.constantValue(in.get(0)), y = Pattern.constantValue(in.get(1));
            if (x != null && y != null) value = bin.fn().apply(x, y);
        }
        if (value == null) return b.node(old.op(), in);
        return b.broadcast(b.constant(value), old.shape());
    }
}

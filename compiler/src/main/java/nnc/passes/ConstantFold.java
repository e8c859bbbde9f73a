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
        Float value = switch (old.op()) {
            case Op.Unary u -> {
                Float x = Pattern.constantValue(in.get(0));
                yield x == null ? null : u.fn().apply(x);
            }
            case Op.Binary bin -> {
                Float x = Pattern.constantValue(in.get(0)), y = Pattern.constantValue(in.get(1));
                yield x == null || y == null ? null : bin.fn().apply(x, y);
            }
            default -> null; // other ops (and ops added later) are left alone
        };
        if (value == null) return b.node(old.op(), in);
        return b.broadcast(b.constant(value), old.shape());
    }
}

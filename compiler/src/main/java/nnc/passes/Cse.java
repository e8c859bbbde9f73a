package nnc.passes;

import java.util.List;
import nnc.ir.IrModule;
import nnc.ir.Node;

/**
 * Common-subexpression elimination beyond the builder's interning: interning merges nodes with
 * the same op and the same inputs in the same order, so {@code a + b} and {@code b + a} stayed
 * two nodes. This pass puts the operands of commutative ops (add, mul, max, min, eq; exact in either
 * order under IEEE 754) in id order, and the rebuild's interning merges what became equal.
 */
public final class Cse implements Pass {
    @Override public String name() { return "cse"; }

    @Override public IrModule run(IrModule module, PassReport report) {
        return ModuleRewriter.rebuild(module, (b, old, in) -> {
            if (Pattern.isCommutative(old.op()) && in.get(0).id() > in.get(1).id()
                    && in.get(0).shape().equals(in.get(1).shape()))
                return b.node(old.op(), List.of(in.get(1), in.get(0)));
            return b.node(old.op(), in);
        });
    }
}

package nnc.passes;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import nnc.ir.BinaryFn;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.UnaryFn;

/**
 * ReLU's backward mask from its output: {@code x > 0} becomes {@code relu(x) > 0} wherever
 * {@code relu(x)} is computed anyway. The two are equal for every f32 x (relu(x) = max(x, +0) is
 * positive exactly when x is; −0, NaN and −∞ give false both ways). The pre-activation x then has
 * one consumer fewer, so the scheduler can fuse the bias add into the activation's kernel instead
 * of keeping x for the backward pass.
 */
public final class ReluMask implements Pass {
    @Override public String name() { return "relu-mask"; }

    @Override public IrModule run(IrModule module, PassReport report) {
        Set<Node> reluInputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Graph g : module.entries())
            for (Node n : g.nodes()) if (n.op() instanceof Op.Unary u && u.fn() == UnaryFn.RELU) reluInputs.add(n.input(0));
        if (reluInputs.isEmpty()) return module;
        return ModuleRewriter.rebuild(module, (b, old, in) -> {
            if (old.op() instanceof Op.Binary bin && bin.fn() == BinaryFn.GT && reluInputs.contains(old.input(0))
                    && old.input(1).op() instanceof Op.Constant c && c.value() == 0.0
                    && old.input(0).shape().equals(old.shape()))
                return b.node(old.op(), List.of(b.unary(UnaryFn.RELU, in.get(0)), in.get(1)));
            return b.node(old.op(), in);
        });
    }
}

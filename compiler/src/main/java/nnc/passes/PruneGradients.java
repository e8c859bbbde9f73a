package nnc.passes;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * Removes gradient work no parameter needs. Autodiff only differentiates nodes a parameter
 * influences; what can remain is the update of a parameter (or state) that provably keeps its
 * value, e.g. {@code w − lr·0} for a parameter the loss ignores once folded and simplified to
 * {@code w}. Such updates are dropped, and with them every gradient node only they used.
 * A leaf that would then appear in no entry keeps its update, so the model's tensors do not change.
 */
public final class PruneGradients implements Pass {
    @Override public String name() { return "prune-gradients"; }

    @Override public IrModule run(IrModule module, PassReport report) {
        Map<String, Node> others = new LinkedHashMap<>(module.train().updates());
        others.entrySet().removeIf(e -> isOwnOldValue(e.getKey(), e.getValue()));
        if (others.size() == module.train().updates().size()) return module;
        Set<Node> stillNeeded = Collections.newSetFromMap(new IdentityHashMap<>());
        stillNeeded.addAll(new Graph(module.train().name(), module.train().outputs(), others).nodes());
        for (Graph g : module.entries().subList(1, module.entries().size())) stillNeeded.addAll(g.nodes());
        Map<String, Node> kept = new LinkedHashMap<>();
        module.train().updates().forEach((name, v) -> {
            if (!isOwnOldValue(name, v) || !stillNeeded.contains(v)) kept.put(name, v);
            else report.note(name(), "dropped the update of " + name + ": it writes back the old value");
        });
        return ModuleRewriter.rebuild(module, ModuleRewriter.COPY, kept);
    }

    private static boolean isOwnOldValue(String name, Node v) {
        return v.op() instanceof Op.Carried leaf && leaf.name().equals(name);
    }
}

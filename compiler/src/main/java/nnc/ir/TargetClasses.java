package nnc.ir;

import java.util.HashMap;
import java.util.Map;
import nnc.runtime.Role;

/**
 * For each i32 target of a graph that holds class indices, the number of classes: the size of the
 * one-hot encoding its loss (or metric) makes of it ({@code cross_entropy}, {@code nll}), i.e. the
 * width of the logits. Data feeders check labels against it ({@code nnc.runtime.ModelInfo#targetClasses}).
 */
final class TargetClasses {
    private TargetClasses() {}

    static Map<String, Integer> of(Graph g) {
        Map<String, Integer> out = new HashMap<>();
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof Op.OneHot oh)) continue;
            Node source = n.inputs().get(0);
            while (source.op() instanceof Op.Reshape) source = source.inputs().get(0);
            if (source.op() instanceof Op.Input in && in.role() == Role.TARGET)
                out.merge(in.name(), (int) Math.min(Integer.MAX_VALUE, oh.classes()), Math::min);
        }
        return out;
    }
}

package nnc.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnc.types.ShapeError;
import nnc.types.TensorType;

/** Checks the invariants every stage must keep; run between passes in tests. Returns the problems found. */
public final class GraphVerifier {
    private GraphVerifier() {}

    public static List<String> verify(IrModule m) {
        List<String> problems = new ArrayList<>();
        for (Graph g : m.entries()) problems.addAll(verify(g));
        if (!m.train().outputs().containsKey(m.lossName())) problems.add("train graph does not export the loss '" + m.lossName() + "'");
        return problems;
    }

    public static List<String> verify(Graph g) {
        List<String> problems = new ArrayList<>();
        Map<String, Node> leaves = new HashMap<>();
        for (Node n : g.nodes()) {
            for (Node in : n.inputs())
                if (in.id() >= n.id()) problems.add(g.name() + ": " + n.ref() + " uses a later node " + in.ref());
            try {
                TensorType t = TypeRules.infer(n.op(), n.inputs());
                if (!t.equals(n.type())) problems.add(g.name() + ": " + n.ref() + " has type " + n.type() + " but its op gives " + t);
            } catch (ShapeError e) {
                problems.add(g.name() + ": " + n.ref() + " is ill-typed: " + e.getMessage());
            }
            if (n.op() instanceof Op.LoopVar) problems.add(g.name() + ": loop variable " + n.ref() + " outside its loop");
            if (n.op() instanceof Op.Scan sc) {
                ScanBody body = sc.body();
                int fixed = body.carries().size() + body.slices().size();
                if (n.inputs().size() >= fixed && !n.inputs().subList(fixed, n.inputs().size()).equals(body.captures()))
                    problems.add(g.name() + ": " + n.ref() + " does not take its loop's captures as inputs");
            }
            if (n.op() instanceof Op.Named leaf && leaves.put(leaf.name(), n) != null)
                problems.add(g.name() + ": two leaves are named " + leaf.name());
        }
        for (var e : g.updates().entrySet()) {
            Node target = leaves.get(e.getKey());
            if (target != null && !target.type().equals(e.getValue().type()))
                problems.add(g.name() + ": update of " + e.getKey() + " has type " + e.getValue().type() + ", the value is " + target.type());
        }
        return problems;
    }
}

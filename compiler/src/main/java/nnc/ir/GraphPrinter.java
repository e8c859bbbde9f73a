package nnc.ir;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text form of the Graph IR: one line per node, then the roots.
 * <pre>
 * %3 = add %2, %1 : f32[batch,3]
 * output loss = %9
 * update h.W = %17
 * </pre>
 */
public final class GraphPrinter {
    private GraphPrinter() {}

    /** The module's three graphs; a node with a label (a binding, a gradient) ends with {@code  // label}. */
    public static String print(IrModule m) {
        StringBuilder sb = new StringBuilder();
        for (Graph g : m.entries()) sb.append(print(g, m.labels())).append('\n');
        return sb.toString();
    }

    public static String print(Graph g) { return print(g, Map.of()); }

    private static String print(Graph g, Map<Node, String> labels) {
        StringBuilder sb = new StringBuilder("graph ").append(g.name()).append(" {\n");
        Set<ScanBody> printed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : g.nodes()) {
            if (n.op() instanceof Op.Scan s && printed.add(s.body())) printBody(sb, s.body(), labels);
            sb.append("  ").append(line(n));
            String label = labels.get(n);
            if (label != null) sb.append("  // ").append(label);
            sb.append('\n');
        }
        for (Map.Entry<String, Node> e : g.outputs().entrySet())
            sb.append("  output ").append(e.getKey()).append(" = ").append(e.getValue().ref()).append('\n');
        for (Map.Entry<String, Node> e : g.updates().entrySet())
            sb.append("  update ").append(e.getKey()).append(" = ").append(e.getValue().ref()).append('\n');
        return sb.append("}\n").toString();
    }

    /**
     * A loop's body before its first output: its nodes, then the results.
     * <pre>
     * loop 3 (16 steps) {
     *   %20 = loop_carry[loop=3,index=0] : f32[batch,64]
     *   …
     *   carries %25
     *   steps[user=1] %26, %20
     * }
     * </pre>
     */
    private static void printBody(StringBuilder sb, ScanBody body, Map<Node, String> labels) {
        sb.append("  loop ").append(body.loop()).append(" (").append(body.length()).append(" steps")
                .append(body.reverse() ? ", reverse" : "").append(") {\n");
        for (Node n : body.nodes()) {
            sb.append("    ").append(line(n));
            String label = labels.get(n);
            if (label != null) sb.append("  // ").append(label);
            sb.append('\n');
        }
        sb.append("    carries").append(refs(body.carryResults())).append('\n');
        sb.append("    steps[user=").append(body.userSteps()).append(']').append(refs(body.stepResults())).append("\n  }\n");
    }

    private static String refs(List<Node> nodes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) sb.append(i == 0 ? " " : ", ").append(nodes.get(i).ref());
        return sb.toString();
    }

    public static String line(Node n) {
        StringBuilder sb = new StringBuilder(n.ref()).append(" = ").append(n.op().mnemonic()).append(n.op().attributes());
        for (int i = 0; i < n.inputs().size(); i++) sb.append(i == 0 ? " " : ", ").append(n.input(i).ref());
        return sb.append(" : ").append(n.type()).toString();
    }
}

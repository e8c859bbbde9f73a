package nnc.passes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.ir.SourceLines;

/**
 * Rebuilds a module into a fresh {@link GraphBuilder}: every node the entries need, in id
 * (topological) order, with its inputs already rebuilt, is handed to a {@link NodeRewrite} that
 * returns its replacement. Nodes nothing needs are not copied, and interning merges nodes that
 * became structurally equal, so every rebuild is also a dead-code and CSE sweep.
 */
final class ModuleRewriter {
    /** The new node standing for {@code old}, whose inputs have become {@code inputs}. */
    interface NodeRewrite {
        Node rewrite(GraphBuilder b, Node old, List<Node> inputs);
    }

    /** Rebuilds each node as itself over its rebuilt inputs. */
    static final NodeRewrite COPY = (b, old, inputs) -> b.node(old.op(), inputs);

    private ModuleRewriter() {}

    static IrModule rebuild(IrModule m, NodeRewrite f) {
        return rebuild(m, f, m.train().updates());
    }

    /** As {@link #rebuild(IrModule, NodeRewrite)}, with the train entry's updates replaced by {@code trainUpdates}. */
    static IrModule rebuild(IrModule m, NodeRewrite f, Map<String, Node> trainUpdates) {
        Graph train = new Graph(m.train().name(), m.train().outputs(), trainUpdates);
        Map<Node, Boolean> all = new IdentityHashMap<>();
        List<Node> order = new ArrayList<>();
        List<Graph> roots = new ArrayList<>(List.of(train, m.evaluate(), m.predict()));
        roots.addAll(m.split());
        for (Graph g : roots)
            for (Node n : g.nodes()) if (all.put(n, Boolean.TRUE) == null) order.add(n);
        order.sort(Comparator.comparingInt(Node::id));
        GraphBuilder b = new GraphBuilder();
        Map<Node, Node> map = new IdentityHashMap<>();
        Map<ScanBody, ScanBody> bodies = new IdentityHashMap<>();
        for (Node n : order) {
            List<Node> inputs = new ArrayList<>(n.inputs().size());
            for (Node in : n.inputs()) inputs.add(map.get(in));
            Node r;
            if (n.op() instanceof Op.Scan s) {
                ScanBody body = bodies.computeIfAbsent(s.body(), old -> rebuildBody(b, old, f, map));
                List<Node> fixed = inputs.subList(0, body.carries().size() + body.slices().size());
                r = b.scanOutput(body, s.output(), fixed.subList(0, body.carries().size()), fixed.subList(body.carries().size(), fixed.size()));
            } else r = f.rewrite(b, n, inputs);
            if (!r.type().equals(n.type()))
                throw new IllegalStateException("rewrite changed the type of " + n + " to " + r.type());
            map.put(n, r);
        }
        Map<Node, String> labels = new IdentityHashMap<>();
        m.labels().forEach((old, label) -> {
            Node now = map.get(old);
            if (now != null) labels.putIfAbsent(now, label);
        });
        Map<Node, Integer> lines = new IdentityHashMap<>();
        m.source().lines().forEach((old, line) -> {
            Node now = map.get(old);
            if (now != null) lines.putIfAbsent(now, line);
        });
        List<Graph> split = new ArrayList<>();
        for (Graph g : m.split()) split.add(remap(g, map));
        return new IrModule(m.name(), remap(train, map), remap(m.evaluate(), map), remap(m.predict(), map), m.lossName(), m.metrics(), labels,
                new SourceLines(m.source().file(), lines), split);
    }

    /**
     * A loop body rebuilt with {@code f} like the rest of the module (its variables as themselves),
     * after the values it captures; {@code map} receives its nodes too.
     */
    private static ScanBody rebuildBody(GraphBuilder b, ScanBody old, NodeRewrite f, Map<Node, Node> map) {
        for (Node n : old.nodes()) {
            List<Node> inputs = new ArrayList<>(n.inputs().size());
            for (Node in : n.inputs()) inputs.add(rebuilt(b, in, f, map));
            Node r = n.op() instanceof Op.LoopVar ? b.node(n.op(), inputs) : f.rewrite(b, n, inputs);
            if (!r.type().equals(n.type())) throw new IllegalStateException("rewrite changed the type of " + n + " to " + r.type());
            map.put(n, r);
        }
        return new ScanBody(old.loop(), old.length(), old.reverse(), all(old.carries(), b, f, map), all(old.slices(), b, f, map),
                all(old.carryResults(), b, f, map), all(old.stepResults(), b, f, map), old.userSteps());
    }

    private static List<Node> all(List<Node> nodes, GraphBuilder b, NodeRewrite f, Map<Node, Node> map) {
        List<Node> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) out.add(rebuilt(b, n, f, map));
        return out;
    }

    /** The rebuilt {@code n}: already done, or an immediate only a loop body reads (rebuilt now). */
    private static Node rebuilt(GraphBuilder b, Node n, NodeRewrite f, Map<Node, Node> map) {
        Node r = map.get(n);
        if (r != null) return r;
        List<Node> inputs = new ArrayList<>(n.inputs().size());
        for (Node in : n.inputs()) inputs.add(rebuilt(b, in, f, map));
        r = f.rewrite(b, n, inputs);
        map.put(n, r);
        return r;
    }

    private static Graph remap(Graph g, Map<Node, Node> map) {
        Map<String, Node> outs = new LinkedHashMap<>(), ups = new LinkedHashMap<>();
        g.outputs().forEach((k, v) -> outs.put(k, map.get(v)));
        g.updates().forEach((k, v) -> ups.put(k, map.get(v)));
        return new Graph(g.name(), outs, ups);
    }
}

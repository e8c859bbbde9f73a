package nnc.schedule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.FusionKind;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * Decides, for one entry graph, which nodes get their own kernel and which are computed inside
 * their consumer's loop. It reads only each op's {@link FusionKind}: an elementwise, broadcast or
 * one-hot node with exactly one consumer, not exported, and of the same shape as that consumer's
 * loop domain, is fused into it; constants are always inlined; reshapes alias their input.
 */
final class FusionPlan {
    private final Graph graph;
    private final Map<Node, List<Node>> consumers = new IdentityHashMap<>();
    private final Set<Node> fused = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Node> roots = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    FusionPlan(Graph graph) {
        this.graph = graph;
        for (Node n : graph.nodes()) for (Node in : n.inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        roots.addAll(graph.roots());
        for (Node n : graph.nodes()) if (canFuse(n)) fused.add(n);
    }

    List<Node> nodes() { return graph.nodes(); }

    List<Node> consumersOf(Node n) { return consumers.getOrDefault(n, List.of()); }

    /** Computed inside its consumer's kernel. */
    boolean isFused(Node n) { return fused.contains(n); }

    /** Constants and run-time sizes (also reshaped): always an immediate in the expression. */
    static boolean isImmediate(Node n) {
        if (n.op() instanceof Op.Reshape) return isImmediate(n.input(0));
        return n.op() instanceof Op.Constant || n.op() instanceof Op.DimSize;
    }

    /** A node that owns a kernel producing a buffer. */
    boolean hasKernel(Node n) {
        return !n.isLeaf() && !isFused(n) && !(n.op() instanceof Op.Reshape);
    }

    /** The shape of the loop that consumes {@code n} when {@code consumer} has its own kernel. */
    static nnc.types.Shape domainOf(Node consumer) {
        return consumer.op() instanceof Op.Reduce ? consumer.input(0).shape() : consumer.shape();
    }

    private boolean canFuse(Node n) {
        FusionKind k = n.op().fusionKind();
        boolean fusableKind = k == FusionKind.ELEMENTWISE || k == FusionKind.BROADCAST
                || (k == FusionKind.INJECTIVE && n.op() instanceof Op.OneHot);
        if (!fusableKind || roots.contains(n)) return false;
        List<Node> users = consumersOf(n);
        if (users.size() != 1) return false;
        Node user = users.get(0);
        FusionKind uk = user.op().fusionKind();
        boolean loopConsumer = uk == FusionKind.ELEMENTWISE || uk == FusionKind.BROADCAST || uk == FusionKind.REDUCE;
        return loopConsumer && n.shape().equals(domainOf(user));
    }

    /** The node whose kernel evaluates {@code n} (itself, or the kernel it is fused into). */
    Node kernelOf(Node n) {
        Node k = n;
        while (isFused(k)) k = consumersOf(k).get(0);
        return k;
    }

    /** Nodes whose kernels read {@code leaf}, looking through reshape aliases. */
    Set<Node> readers(Node leaf) {
        Set<Node> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> seen = new HashSet<>();
        List<Node> work = new ArrayList<>(List.of(leaf));
        while (!work.isEmpty()) {
            Node x = work.remove(work.size() - 1);
            if (!seen.add(x)) continue;
            for (Node c : consumersOf(x)) {
                if (c.op() instanceof Op.Reshape) work.add(c);
                else out.add(kernelOf(c));
            }
        }
        return out;
    }
}

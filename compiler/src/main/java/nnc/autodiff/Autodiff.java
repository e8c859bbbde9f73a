package nnc.autodiff;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;

/**
 * Reverse-mode differentiation: walks the nodes between the parameters and the loss in reverse
 * topological order, asks {@link VjpRules} for each node's input adjoints and sums them. Nodes no
 * parameter influences get no adjoint (no gradient work for inputs and targets).
 */
public final class Autodiff {
    private Autodiff() {}

    /** ∂loss/∂p for each node of {@code wrt}, built with {@code b}; a parameter the loss ignores gets zeros. */
    public static Map<Node, Node> gradients(GraphBuilder b, Node loss, List<Node> wrt) {
        if (!loss.shape().isScalar()) throw new IllegalArgumentException("the loss must be a scalar, got " + loss.type());
        BitSet needsGrad = new BitSet();
        for (Node p : wrt) needsGrad.set(p.id());
        List<Node> order = b.nodes().subList(0, loss.id() + 1);
        for (Node n : order)
            for (Node in : n.inputs()) if (needsGrad.get(in.id())) { needsGrad.set(n.id()); break; }

        Map<Node, Node> seeds = new IdentityHashMap<>();
        seeds.put(loss, b.constant(1));
        Map<Node, Node> adjoint = backprop(b, order, seeds, x -> needsGrad.get(x.id()));
        labelAdjoints(b, adjoint);
        Map<Node, Node> result = new LinkedHashMap<>();
        for (Node p : wrt) {
            Node g = adjoint.get(p);
            result.put(p, g != null ? g : b.broadcast(b.constant(0), p.shape()));
        }
        return result;
    }

    /**
     * Reverse accumulation over {@code order} (topological): starting from {@code seeds}, each node
     * with an adjoint passes its inputs theirs, for inputs that {@code needsGrad}. The outputs of one
     * loop are differentiated together ({@link ScanVjp}) when the first of them in {@code order} is
     * reached, after every consumer of any of them. Returns every adjoint found.
     */
    static Map<Node, Node> backprop(GraphBuilder b, List<Node> order, Map<Node, Node> seeds, Predicate<Node> needsGrad) {
        Map<Node, Node> adjoint = new IdentityHashMap<>(seeds);
        Map<ScanBody, List<Node>> loops = new IdentityHashMap<>();
        for (Node n : order) if (n.op() instanceof Op.Scan s) loops.computeIfAbsent(s.body(), k -> new ArrayList<>()).add(n);
        for (int i = order.size() - 1; i >= 0; i--) {
            Node y = order.get(i);
            b.atLine(b.lineOf(y)); // a gradient's nodes come from the line of the value it differentiates
            List<Node> grads;
            if (y.op() instanceof Op.Scan s) {
                List<Node> outputs = loops.get(s.body());
                if (outputs.get(0) != y) continue;
                Map<Integer, Node> outAdjoints = new HashMap<>();
                for (Node o : outputs) {
                    Node g = adjoint.get(o);
                    if (g != null) outAdjoints.put(((Op.Scan) o.op()).output(), g);
                }
                if (outAdjoints.isEmpty()) continue;
                grads = ScanVjp.vjp(b, y, outAdjoints, needsGrad);
            } else {
                Node g = adjoint.get(y);
                if (g == null || y.inputs().isEmpty()) continue;
                grads = VjpRules.vjp(b, y, g);
            }
            for (int k = 0; k < grads.size(); k++) {
                Node x = y.input(k), gx = grads.get(k);
                if (gx == null || !needsGrad.test(x)) continue;
                adjoint.merge(x, gx, b::add);
            }
        }
        b.atLine(0);
        return adjoint;
    }

    /**
     * Names each adjoint after what it is the gradient of ({@code d_h}, {@code d_h.W}, or
     * {@code d_t12} for an unnamed value) so generated code reads like the chain rule. Deterministic:
     * named values first, nearest the loss first, then unnamed ones; an adjoint shared by several
     * values keeps the first name.
     */
    private static void labelAdjoints(GraphBuilder b, Map<Node, Node> adjoint) {
        List<Node> xs = new ArrayList<>(adjoint.keySet());
        xs.sort(Comparator.comparingInt(Node::id).reversed());
        for (Node x : xs) {
            String name = x.op() instanceof Op.Param p ? p.name() : b.labelOf(x);
            if (name != null) b.label(adjoint.get(x), "d_" + name);
        }
        for (Node x : xs) b.label(adjoint.get(x), "d_t" + x.id());
    }
}

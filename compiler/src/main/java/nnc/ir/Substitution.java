package nnc.ir;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces nodes inside a graph: every node between {@code roots} and a replaced node is rebuilt over
 * the replaced inputs (interning gives back the same node where nothing changed). Loops use it to
 * rebuild a step with some of its values read from elsewhere.
 */
public final class Substitution {
    private final GraphBuilder b;
    private final Map<Node, Node> done = new IdentityHashMap<>();

    private Substitution(GraphBuilder b, Map<Node, Node> replacements) {
        this.b = b;
        done.putAll(replacements);
    }

    /** {@code roots} with every key of {@code replacements} replaced by its value. */
    public static List<Node> apply(GraphBuilder b, List<Node> roots, Map<Node, Node> replacements) {
        Substitution s = new Substitution(b, replacements);
        List<Node> out = new ArrayList<>(roots.size());
        for (Node r : roots) out.add(s.rebuilt(r));
        return out;
    }

    private Node rebuilt(Node n) {
        Node r = done.get(n);
        if (r != null) return r;
        boolean changed = false;
        List<Node> inputs = new ArrayList<>(n.inputs().size());
        for (Node in : n.inputs()) {
            Node x = rebuilt(in);
            changed |= x != in;
            inputs.add(x);
        }
        r = changed ? b.node(n.op(), inputs) : n;
        done.put(n, r);
        return r;
    }
}

package nnc.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry point of a model (train, evaluate or predict) over the shared node pool: the values
 * it exports by name ({@code loss}, declared outputs) and the new values of parameters and state
 * it writes back ({@code updates}). Every update reads the old values: updates happen after all
 * of the step's reads.
 */
public record Graph(String name, Map<String, Node> outputs, Map<String, Node> updates) {
    public Graph {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        updates = Collections.unmodifiableMap(new LinkedHashMap<>(updates));
    }

    public List<Node> roots() {
        List<Node> r = new ArrayList<>(outputs.values());
        r.addAll(updates.values());
        return r;
    }

    /** The nodes the roots need, in topological (id) order. */
    public List<Node> nodes() {
        BitSet seen = new BitSet();
        List<Node> out = new ArrayList<>();
        Deque<Node> work = new ArrayDeque<>(roots());
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (seen.get(n.id())) continue;
            seen.set(n.id());
            out.add(n);
            work.addAll(n.inputs());
        }
        out.sort(Comparator.comparingInt(Node::id));
        return out;
    }

    /** How many times each node is used as an input or root within this graph (by id). */
    public Map<Node, Integer> useCounts() {
        Map<Node, Integer> uses = new IdentityHashMap<>();
        for (Node n : nodes()) for (Node in : n.inputs()) uses.merge(in, 1, Integer::sum);
        for (Node r : roots()) uses.merge(r, 1, Integer::sum);
        return uses;
    }
}

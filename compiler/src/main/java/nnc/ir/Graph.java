package nnc.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
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

    /**
     * The nodes the roots need, in topological (id) order. Plain loops and an array by id rather than a
     * sort with a comparator: the passes call this often while the compiler's code still runs interpreted
     * at start-up (the JIT compiles the JDK's stream and collection helpers late, see scripts/cold-jit.txt).
     */
    public List<Node> nodes() {
        BitSet seen = new BitSet();
        Map<Integer, Node> byId = new HashMap<>();
        Deque<Node> work = new ArrayDeque<>(roots());
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (seen.get(n.id())) continue;
            seen.set(n.id());
            byId.put(n.id(), n);
            for (Node in : n.inputs()) work.push(in);
        }
        List<Node> out = new ArrayList<>(byId.size());
        for (int id = seen.nextSetBit(0); id >= 0; id = seen.nextSetBit(id + 1)) out.add(byId.get(id));
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

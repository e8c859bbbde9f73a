package nnc.driver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.BinaryFn;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Substitution;
import nnc.optim.TrainConfig;
import nnc.optim.TrainUpdate;
import nnc.runtime.parallel.SplitEntries;
import nnc.types.Dim;
import nnc.types.TensorType;

/**
 * The train step cut in two for data-parallel training, over the train step's own node pool:
 *
 * <ul>
 *   <li>{@value IrModule#GRADIENT}: the train graph's outputs (loss and the model's outputs, train
 *       mode; dropout's rows numbered in the global batch, {@link #shiftDropoutRows}), and as updates the gradient of each parameter before clipping into state
 *       {@code dp.grad.NAME} and the new value of each state tensor whose update reads the batch
 *       (batch norm's running statistics) into state {@code dp.next.NAME};</li>
 *   <li>{@value IrModule#APPLY}: clipping and the optimiser ({@link TrainUpdate}, as the train
 *       step builds them) over the {@code dp.grad.NAME} states in place of the gradients, each
 *       data-dependent state set from its {@code dp.next.NAME}, and the state updates that read no
 *       batch (dropout's step counters) as the train step writes them.</li>
 * </ul>
 *
 * The apply entry repeats the train step's optimiser arithmetic on the same values, so the two
 * entries in a row give the train step's bits.
 */
final class SplitStep {
    private SplitStep() {}

    /** The gradient and apply graphs of the train step with parameters {@code params}, gradients {@code grads} and lowering's state updates. */
    static List<Graph> graphs(GraphBuilder b, TrainConfig cfg, Map<String, Node> trainOutputs, Map<String, Node> params,
                              Map<Node, Node> grads, Map<String, Node> stateUpdates) {
        Map<String, Node> gradientUpdates = new LinkedHashMap<>();
        Map<String, Node> outputs = new LinkedHashMap<>(trainOutputs);
        Map<Node, Node> gradients = new LinkedHashMap<>(grads);
        shiftDropoutRows(b, outputs, gradients);
        Map<Node, Node> exchanged = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            gradientUpdates.put(SplitEntries.GRADIENT_PREFIX + name, gradients.get(p));
            exchanged.put(p, b.node(new Op.State(SplitEntries.GRADIENT_PREFIX + name, p.type())));
        });
        Map<String, Node> applyUpdates = new LinkedHashMap<>(TrainUpdate.updates(b, cfg, exchanged));
        stateUpdates.forEach((name, v) -> {
            if (readsBatch(v)) {
                gradientUpdates.put(SplitEntries.NEXT_PREFIX + name, v);
                applyUpdates.put(name, b.node(new Op.State(SplitEntries.NEXT_PREFIX + name, v.type())));
            } else {
                applyUpdates.put(name, v);
            }
        });
        return List.of(new Graph(IrModule.GRADIENT, outputs, gradientUpdates), new Graph(IrModule.APPLY, Map.of(), applyUpdates));
    }

    /**
     * Dropout draws each element's mask from its indices ({@code hash} of {@code iota}s); in the
     * gradient entry the row index becomes the row's index in the global batch, {@code iota + r0}
     * with {@code r0} the state {@link SplitEntries#FIRST_ROW} the runtime sets to the partition's
     * first row (0 on one machine: the same bits as the train step). So P partitions draw exactly the
     * masks one machine draws for the global batch. Rewrites {@code outputs} and {@code gradients}
     * in place; leaves them as they are when a loop reads a mask (a loop's body cannot be rebuilt
     * over new captures here): such a model's partitions draw the masks of their local rows.
     */
    private static void shiftDropoutRows(GraphBuilder b, Map<String, Node> outputs, Map<Node, Node> gradients) {
        List<Node> roots = new ArrayList<>(outputs.values());
        roots.addAll(gradients.values());
        List<Node> nodes = new Graph(IrModule.GRADIENT, Map.of(), indexed(roots)).nodes();
        Map<Node, Node> replacements = new IdentityHashMap<>();
        Node firstRow = null;
        for (Node n : nodes) {
            if (!(n.op() instanceof Op.Binary bin) || bin.fn() != BinaryFn.HASH) continue;
            List<Node> inputs = new ArrayList<>(n.inputs());
            boolean changed = false;
            for (int k = 0; k < inputs.size(); k++) {
                if (inputs.get(k).op() instanceof Op.Iota iota && iota.shape().dim(iota.axis()).equals(Dim.BATCH)) {
                    if (firstRow == null) firstRow = b.node(new Op.State(SplitEntries.FIRST_ROW, TensorType.F32_SCALAR));
                    inputs.set(k, b.add(inputs.get(k), firstRow));
                    changed = true;
                }
            }
            if (changed) replacements.put(n, b.node(n.op(), inputs));
        }
        if (replacements.isEmpty() || readsThroughLoop(nodes, replacements)) return;
        List<Node> rebuilt = Substitution.apply(b, roots, replacements);
        int k = 0;
        for (String name : outputs.keySet()) outputs.put(name, rebuilt.get(k++));
        for (Node p : gradients.keySet()) gradients.put(p, rebuilt.get(k++));
    }

    /** True when a loop ({@code scan}) depends on a node of {@code replaced}. */
    private static boolean readsThroughLoop(List<Node> nodes, Map<Node, Node> replaced) {
        BitSet downstream = new BitSet();
        for (Node n : replaced.keySet()) downstream.set(n.id());
        for (Node n : nodes) {
            for (Node in : n.inputs()) if (downstream.get(in.id())) downstream.set(n.id());
            if (downstream.get(n.id()) && n.op() instanceof Op.Scan) return true;
        }
        return false;
    }

    private static Map<String, Node> indexed(List<Node> roots) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (int k = 0; k < roots.size(); k++) out.put(Integer.toString(k), roots.get(k));
        return out;
    }

    /** True when {@code v} depends on an input, a target or the batch size. */
    static boolean readsBatch(Node v) {
        BitSet seen = new BitSet();
        ArrayDeque<Node> work = new ArrayDeque<>(List.of(v));
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (seen.get(n.id())) continue;
            seen.set(n.id());
            if (n.op() instanceof Op.Input || n.op() instanceof Op.DimSize) return true;
            work.addAll(n.inputs());
        }
        return false;
    }
}

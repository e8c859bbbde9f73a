package nnc.driver;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.optim.TrainConfig;
import nnc.optim.TrainUpdate;
import nnc.runtime.parallel.SplitEntries;

/**
 * The train step cut in two for data-parallel training, over the train step's own node pool:
 *
 * <ul>
 *   <li>{@value IrModule#GRADIENT}: the train graph's outputs (loss and the model's outputs, train
 *       mode), and as updates the gradient of each parameter before clipping into state
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
        Map<Node, Node> exchanged = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            gradientUpdates.put(SplitEntries.GRADIENT_PREFIX + name, grads.get(p));
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
        return List.of(new Graph(IrModule.GRADIENT, trainOutputs, gradientUpdates), new Graph(IrModule.APPLY, Map.of(), applyUpdates));
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

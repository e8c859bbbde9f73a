package nnc.driver;

import java.io.File;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.autodiff.Autodiff;
import nnc.check.CheckedModel;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.SourceLines;
import nnc.lower.Lowering;
import nnc.optim.TrainConfig;
import nnc.optim.TrainUpdate;

/**
 * Builds a model's Graph IR stage by stage over one node pool: the forward pass (lower), the
 * gradients (autodiff) and the optimiser update (train). Each stage is an {@link IrModule}
 * so every one can be printed; {@link Compilation} runs the middle end's passes after them.
 */
final class TrainStepBuilder {
    /**
     * The module after each stage; {@code trained} is the whole train step as built, {@code split}
     * the same with the train step's data-parallel halves as extra entries ({@link SplitStep}).
     */
    record Stages(IrModule lowered, IrModule differentiated, IrModule trained, IrModule split) {}

    private TrainStepBuilder() {}

    static Stages build(CheckedModel m, TrainConfig cfg) {
        GraphBuilder b = new GraphBuilder();
        Lowering.Forward fwd = Lowering.lower(m, b);
        Lowering.Forward inference = Lowering.lower(m, b, Lowering.Mode.INFERENCE); // the same nodes unless dropout/batch_norm
        String name = m.decl().name();
        Map<String, Node> evalOut = new LinkedHashMap<>();
        evalOut.put(IrModule.LOSS, fwd.loss());
        evalOut.putAll(fwd.outputs());
        Map<String, Node> inferenceOut = new LinkedHashMap<>();
        inferenceOut.put(IrModule.LOSS, inference.loss());
        inferenceOut.putAll(inference.outputs());
        Graph predict = new Graph("predict", inference.outputs(), Map.of());
        Graph evaluate = new Graph("evaluate", inferenceOut, Map.of());
        List<String> metrics = m.metrics();
        IrModule lowered = new IrModule(name, new Graph("train", evalOut, fwd.stateUpdates()), evaluate, predict, IrModule.LOSS, metrics)
                .withLabels(b.labels());

        List<Node> params = new ArrayList<>(fwd.params().values());
        Map<Node, Node> grads = Autodiff.gradients(b, fwd.loss(), params);
        Map<String, Node> withGrads = new LinkedHashMap<>(evalOut);
        fwd.params().forEach((pname, p) -> withGrads.put(Compilation.GRAD + pname, grads.get(p)));
        IrModule differentiated = new IrModule(name, new Graph("train", withGrads, fwd.stateUpdates()), evaluate, predict, IrModule.LOSS, metrics)
                .withLabels(b.labels());

        Map<String, Node> updates = new LinkedHashMap<>(TrainUpdate.updates(b, cfg, grads));
        fwd.params().forEach((pname, p) -> { if (updates.containsKey(pname)) lineFrom(b, updates.get(pname), b.lineOf(p)); });
        updates.putAll(fwd.stateUpdates());
        List<Graph> split = SplitStep.graphs(b, cfg, evalOut, fwd.params(), grads, fwd.stateUpdates());
        int modelLine = m.decl().span().line(); // the rest (optimiser step counters, ...) belongs to the model as a whole
        for (Node n : b.nodes()) b.setLineIfAbsent(n, modelLine);
        SourceLines source = new SourceLines(fileName(m.program().source().path()), b.lines());
        IrModule trained = new IrModule(name, new Graph("train", evalOut, updates), evaluate, predict, IrModule.LOSS, metrics)
                .withLabels(b.labels()).withSource(source);
        return new Stages(lowered.withSource(source), differentiated.withSource(source), trained, trained.withSplit(split));
    }

    /** The last part of {@code path} (no {@code Path}: a name read from anywhere may hold characters no file system takes). */
    static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf(File.separatorChar));
        return path.substring(slash + 1);
    }

    /** Gives {@code line} (a parameter's) to the nodes of its update that have none: the optimiser's arithmetic. */
    private static void lineFrom(GraphBuilder b, Node update, int line) {
        ArrayDeque<Node> work = new ArrayDeque<>(List.of(update));
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (b.lineOf(n) > 0 || line == 0) continue;
            b.setLineIfAbsent(n, line);
            work.addAll(n.inputs());
        }
    }
}

package nnc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.runtime.Init;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * A whole model in Graph IR: its three entry points over one node pool, the name of the loss
 * output and the metric specs. Passes map a module to a module.
 *
 * @param split the data-parallel split of the train step ({@value #GRADIENT} and {@value #APPLY}
 *              graphs, see {@code nnc.driver.SplitStep}), or empty: entries after the three
 */
public record IrModule(String name, Graph train, Graph evaluate, Graph predict, String lossName, List<String> metrics,
                       Map<Node, String> labels, SourceLines source, List<Graph> split) {
    public static final String LOSS = "loss";
    /** The entry that computes the loss, the gradients and the new data-dependent state, and updates no parameter. */
    public static final String GRADIENT = "gradient";
    /** The entry that clips the gradients and applies the optimiser from the exchanged gradients. */
    public static final String APPLY = "apply";

    public IrModule {
        labels = Collections.unmodifiableMap(new IdentityHashMap<>(labels));
        split = List.copyOf(split);
    }

    /** A module without a data-parallel split. */
    public IrModule(String name, Graph train, Graph evaluate, Graph predict, String lossName, List<String> metrics,
                    Map<Node, String> labels, SourceLines source) {
        this(name, train, evaluate, predict, lossName, metrics, labels, source, List.of());
    }

    /** A module without labels. */
    public IrModule(String name, Graph train, Graph evaluate, Graph predict, String lossName, List<String> metrics) {
        this(name, train, evaluate, predict, lossName, metrics, Map.of());
    }

    /** A module without source lines. */
    public IrModule(String name, Graph train, Graph evaluate, Graph predict, String lossName, List<String> metrics,
                    Map<Node, String> labels) {
        this(name, train, evaluate, predict, lossName, metrics, labels, SourceLines.NONE);
    }

    /** This module with {@code labels}: names for people of some of its nodes ({@link GraphBuilder#label}). */
    public IrModule withLabels(Map<Node, String> labels) {
        return new IrModule(name, train, evaluate, predict, lossName, metrics, labels, source, split);
    }

    /** This module with the {@code .nn} lines of its nodes. */
    public IrModule withSource(SourceLines source) {
        return new IrModule(name, train, evaluate, predict, lossName, metrics, labels, source, split);
    }

    /** This module with {@code graphs} as its data-parallel split entries. */
    public IrModule withSplit(List<Graph> graphs) {
        return new IrModule(name, train, evaluate, predict, lossName, metrics, labels, source, graphs);
    }

    /** Train, evaluate, predict, then the split entries if any. */
    public List<Graph> entries() {
        List<Graph> all = new ArrayList<>(List.of(train, evaluate, predict));
        all.addAll(split);
        return all;
    }

    /**
     * Inputs, targets, params and state (in that order, each by first appearance), then outputs.
     * State that the evaluate or predict entry reads is marked as inference state
     * ({@link TensorSpec#inferenceState()}: batch norm's running statistics), unlike optimiser state.
     */
    public ModelInfo info() {
        List<TensorSpec> specs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> inference = new HashSet<>();
        for (Graph g : List.of(evaluate, predict))
            for (Node n : g.nodes()) if (n.op() instanceof Op.State st) inference.add(st.name());
        for (Role role : List.of(Role.INPUT, Role.TARGET, Role.PARAM, Role.STATE)) {
            for (Graph g : entries()) {
                for (Node n : g.nodes()) {
                    TensorSpec s = null;
                    if (n.op() instanceof Op.Input i && i.role() == role) s = spec(i.name(), role, n, null);
                    else if (n.op() instanceof Op.Param p && role == Role.PARAM) s = spec(p.name(), role, n, p.init());
                    else if (n.op() instanceof Op.State st && role == Role.STATE)
                        s = new TensorSpec(st.name(), role, n.type().dtype(), runtimeDims(n.shape()), st.init(), inference.contains(st.name()));
                    if (s != null && seen.add(s.name())) specs.add(s);
                }
            }
        }
        for (var e : train.outputs().entrySet())
            if (seen.add(e.getKey())) specs.add(spec(e.getKey(), Role.OUTPUT, e.getValue(), null));
        return new ModelInfo(name, specs, lossName, metrics, TargetClasses.of(train));
    }

    private static TensorSpec spec(String name, Role role, Node n, Init init) {
        return new TensorSpec(name, role, n.type().dtype(), runtimeDims(n.shape()), init);
    }

    /**
     * The run-time dimensions of {@code s}: {@link TensorSpec#BATCH} for {@code batch}. A flattened
     * {@code 16*batch} (an intermediate of a matmul over [batch, time, d], never a model tensor)
     * becomes the two dimensions {@code batch, 16}: the same element count, which is all a buffer
     * needs.
     */
    public static int[] runtimeDims(Shape s) {
        List<Integer> d = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            Dim dim = s.dim(i);
            if (dim instanceof Dim.Fixed f) {
                d.add(Math.toIntExact(f.size()));
            } else if (dim instanceof Dim.Sym sym && sym.equals(Dim.BATCH)) {
                d.add(TensorSpec.BATCH);
            } else if (dim instanceof Dim.Sym sym) {
                throw new IllegalStateException("unsupported symbolic dimension " + sym);
            } else if (dim instanceof Dim.Scaled sc && sc.symbol().equals("batch")) {
                d.add(TensorSpec.BATCH);
                d.add(Math.toIntExact(sc.factor()));
            } else if (dim instanceof Dim.Scaled sc) {
                throw new IllegalStateException("unsupported symbolic dimension " + sc);
            } else throw new IllegalStateException("unexpected " + dim.getClass().getSimpleName());
        }
        return d.stream().mapToInt(Integer::intValue).toArray();
    }
}

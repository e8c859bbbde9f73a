package nnc.schedule;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.FusionKind;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * Graph IR → Kernel IR, the {@code schedule} step. Each entry graph becomes a list of kernels: one
 * per node that the {@link FusionPlan} gives a kernel ({@link NodeKernels}), with fused producers
 * inlined into its expression ({@link KernelExprs}), and the kernels of each loop
 * ({@link LoopKernels}). Named tensors get the buffer of their name ({@link Storage}); a parameter
 * or state update is written in place when nothing reads the old value afterwards, else copied at
 * the end of the step. Each kernel carries the {@code .nn} line of its node. Merging kernels and
 * sharing storage are the kernel passes that run after this step.
 */
public final class Scheduler {
    private final IrModule module;
    private final boolean matmulEpilogues;
    private final Storage storage;
    private final NodeKernels nodeKernels;
    private final LoopKernels loops;
    private final Map<String, Node> leaves;
    private final Map<Graph, EntryNodes> entryNodes = new IdentityHashMap<>();
    /** The {@code .nn} line of each kernel made so far: its node's (see {@link nnc.ir.SourceLines}). */
    private final Map<Kernel, Integer> kernelLines = new HashMap<>();

    private Scheduler(IrModule module, boolean matmulEpilogues) {
        this.module = module;
        this.matmulEpilogues = matmulEpilogues;
        this.storage = new Storage(module);
        KernelExprs exprs = new KernelExprs(storage);
        this.nodeKernels = new NodeKernels(storage, exprs);
        this.loops = new LoopKernels(this, storage, exprs, matmulEpilogues);
        this.leaves = leavesByName(module);
    }

    /** The kernels of {@code module}'s entries, with matmul epilogues where the fusion plan gives them, before the kernel passes. */
    public static KernelProgram schedule(IrModule module) { return schedule(module, true); }

    /**
     * With {@code matmulEpilogues} false, every matmul is a plain product and its elementwise
     * consumers get their own kernel (for comparisons: the results are bitwise the same).
     */
    public static KernelProgram schedule(IrModule module, boolean matmulEpilogues) { return new Scheduler(module, matmulEpilogues).run(); }

    private KernelProgram run() {
        for (TensorSpec t : module.info().tensors()) {
            Node n = t.role() == Role.OUTPUT ? module.train().outputs().get(t.name()) : leaves.get(t.name());
            storage.addNamed(t.name(), n, t.role());
        }
        // A node has one storage in every entry. The data-parallel split's entries come first: the
        // gradient entry's new batch-norm statistics then live in their exchange state, and the train
        // entry copies them from there, rather than the train entry's in-place update of a running
        // statistic making the gradient entry write into it too.
        Map<Graph, List<Kernel>> kernels = new IdentityHashMap<>();
        List<Graph> order = new ArrayList<>(module.split());
        order.addAll(List.of(module.train(), module.evaluate(), module.predict()));
        for (Graph g : order) kernels.put(g, scheduleEntry(g));
        List<KernelProgram.Entry> entries = new ArrayList<>();
        for (Graph g : module.entries()) entries.add(new KernelProgram.Entry(g.name(), kernels.get(g)));
        return new KernelProgram(module.info(), storage.buffers(), entries).withLines(new KernelProgram.Lines(module.source().file(), kernelLines));
    }

    private static Map<String, Node> leavesByName(IrModule module) {
        Map<String, Node> leaves = new LinkedHashMap<>();
        for (Graph g : module.entries())
            for (Node n : g.nodes())
                if (n.op() instanceof Op.Named leaf) leaves.putIfAbsent(leaf.name(), n);
        return leaves;
    }

    private List<Kernel> scheduleEntry(Graph g) {
        FusionPlan plan = new FusionPlan(g, matmulEpilogues);
        Map<Node, String> inPlace = planInPlaceUpdates(g, plan);
        Map<Node, String> exportNames = new IdentityHashMap<>();
        g.outputs().forEach((name, n) -> exportNames.putIfAbsent(n, name));

        List<Kernel> kernels = new ArrayList<>();
        scheduleNodes(plan, inPlace, exportNames, kernels, Collections.newSetFromMap(new IdentityHashMap<>()));
        // Exports whose value lives elsewhere (a leaf, an alias, or a second name for a node) are copied.
        g.outputs().forEach((name, n) -> copyInto(storage.named(name), n, plan, kernels));
        g.updates().forEach((name, v) -> copyInto(storage.named(name), v, plan, kernels));
        return kernels;
    }

    private void copyInto(Buffer target, Node n, FusionPlan plan, List<Kernel> kernels) {
        if (storage.get(n) == target) return;
        kernels.add(nodeKernels.copy(n, target, plan));
        lineOf(n, kernels, kernels.size() - 1);
    }

    /**
     * Appends the kernels of {@code plan}'s nodes to {@code kernels}: fused nodes inside their
     * consumers, every output of a loop with the loop's first output met ({@code loopsDone}: loops
     * already scheduled in this entry).
     */
    void scheduleNodes(FusionPlan plan, Map<Node, String> inPlace, Map<Node, String> exportNames, List<Kernel> kernels,
                       Set<ScanBody> loopsDone) {
        for (Node n : plan.nodes()) {
            int before = kernels.size();
            scheduleNode(n, plan, inPlace, exportNames, kernels, loopsDone);
            lineOf(n, kernels, before);
        }
    }

    private void scheduleNode(Node n, FusionPlan plan, Map<Node, String> inPlace, Map<Node, String> exportNames, List<Kernel> kernels,
                              Set<ScanBody> loopsDone) {
        if (n.op() instanceof Op.Scan s) {
            if (loopsDone.add(s.body())) kernels.addAll(loops.of(n, s.body(), plan));
            return;
        }
        if (n.op() instanceof Op.Iota && needsStoredIndex(n, plan)) {
            // read through a buffer (a matmul operand, reshaped, transposed): stored once per step
            kernels.add(nodeKernels.stored(n, storage.temp(n), plan));
            return;
        }
        if (n.op() instanceof Op.Reshape) {
            if (!FusionPlan.isImmediate(n) && !plan.isFused(n)) storage.putIfAbsent(n, storage.bufferOf(n.input(0)));
            return;
        }
        if (!plan.hasKernel(n)) return;
        Buffer out = storage.get(n);
        if (out == null) {
            String export = exportNames.get(n);
            if (inPlace.containsKey(n)) out = storage.named(inPlace.get(n));
            else if (export != null && !storage.holds(storage.named(export))) out = storage.named(export);
            else out = storage.newTemp(n, "");
            storage.put(n, out);
        }
        Node product = plan.epilogueMatmul(n);
        if (product != null) {
            storage.put(product, out); // the epilogue reads the product where the matmul wrote it
            kernels.add(nodeKernels.matmul(product, out, n, plan));
            return;
        }
        kernels.add(nodeKernels.of(n, out, plan));
    }

    /** Records the line of {@code n} for the kernels added to {@code kernels} from index {@code from} on. */
    private void lineOf(Node n, List<Kernel> kernels, int from) {
        int line = module.source().lineOf(n);
        if (line > 0)
            for (Kernel k : kernels.subList(from, kernels.size())) {
                kernelLines.putIfAbsent(k, line);
                if (k instanceof Kernel.WithEpilogue w) kernelLines.putIfAbsent(w.head(), line); // an epilogue may grow later
            }
    }

    /**
     * Updates whose new value can be written straight into the parameter's buffer: the value is an
     * elementwise kernel of the same shape, exported nowhere, and every other kernel that reads the
     * old value runs before it.
     */
    private Map<Node, String> planInPlaceUpdates(Graph g, FusionPlan plan) {
        Map<Node, String> result = new IdentityHashMap<>();
        Set<Node> roots = Collections.newSetFromMap(new IdentityHashMap<>());
        roots.addAll(g.outputs().values());
        g.updates().forEach((name, v) -> {
            Node leaf = leaves.get(name);
            boolean elementwise = v.op() instanceof Op.Unary || v.op() instanceof Op.Binary;
            if (leaf == null || !elementwise || !plan.hasKernel(v) || roots.contains(v) || result.containsKey(v)
                    || !v.shape().equals(leaf.shape()) || storage.has(v)) return;
            for (Node r : plan.readers(leaf)) if (r != v && r.id() > v.id()) return;
            if (readLaterInAnotherEntry(g, v, leaf)) return;
            result.put(v, name);
        });
        return result;
    }

    /**
     * A node keeps one storage in every entry, so an update written in place in one entry is in
     * place in every entry that shares the node: the data-parallel apply entry advances dropout's
     * step counter with the train entry's own node, and the train entry reads the old counter for
     * its masks after that node. True when another entry holding {@code v} reads {@code leaf} in a
     * node after it.
     */
    private boolean readLaterInAnotherEntry(Graph g, Node v, Node leaf) {
        for (Graph other : module.entries()) {
            if (other == g) continue;
            EntryNodes e = entryNodes.computeIfAbsent(other, EntryNodes::of);
            if (!e.ids().get(v.id())) continue;
            for (Node r : e.nodes()) if (r != v && r.id() > v.id() && r.inputs().contains(leaf)) return true;
        }
        return false;
    }

    /** An entry's nodes and the set of their ids, computed once. */
    private record EntryNodes(List<Node> nodes, BitSet ids) {
        static EntryNodes of(Graph g) {
            List<Node> nodes = g.nodes();
            BitSet ids = new BitSet();
            for (Node n : nodes) ids.set(n.id());
            return new EntryNodes(nodes, ids);
        }
    }

    /** An iota that some consumer reads from memory rather than recomputing it in its loop. */
    private static boolean needsStoredIndex(Node n, FusionPlan plan) {
        for (Node u : plan.consumersOf(n)) {
            FusionKind k = u.op().fusionKind();
            if (k != FusionKind.ELEMENTWISE && k != FusionKind.BROADCAST && k != FusionKind.REDUCE) return true;
        }
        return false;
    }
}

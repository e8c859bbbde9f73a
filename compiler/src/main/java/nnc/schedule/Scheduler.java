package nnc.schedule;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * Graph IR → Kernel IR. Each entry graph becomes a list of kernels: one per node that the
 * {@link FusionPlan} gives a kernel, with fused producers inlined into its expression. Named
 * tensors get the buffer of their name; a parameter or state update is written in place when
 * nothing reads the old value afterwards, else copied at the end of the step.
 */
public final class Scheduler {
    private final IrModule module;
    private final List<Buffer> buffers = new ArrayList<>();
    private final Map<String, Buffer> named = new LinkedHashMap<>();
    /** The buffer holding each node's value (shared by all entries: a node means the same value everywhere). */
    private final Map<Node, Buffer> storage = new IdentityHashMap<>();

    private final boolean matmulEpilogues;
    /** The {@code .nn} line of each kernel made so far: its node's (see {@link nnc.ir.SourceLines}). */
    private final Map<Kernel, Integer> kernelLines = new java.util.HashMap<>();

    /** Records the line of {@code n} for the kernels added to {@code kernels} from index {@code from} on. */
    private void lineOf(Node n, List<Kernel> kernels, int from) {
        int line = module.source().lineOf(n);
        if (line > 0)
            for (Kernel k : kernels.subList(from, kernels.size())) {
                kernelLines.putIfAbsent(k, line);
                if (k instanceof Kernel.WithEpilogue w) kernelLines.putIfAbsent(w.head(), line); // an epilogue may grow later
            }
    }

    private Scheduler(IrModule module, boolean matmulEpilogues) {
        this.module = module;
        this.matmulEpilogues = matmulEpilogues;
    }

    public static KernelProgram schedule(IrModule module) { return schedule(module, true); }

    /**
     * With {@code matmulEpilogues} false, every matmul is a plain product and its elementwise
     * consumers get their own kernel (for comparisons: the results are bitwise the same).
     */
    public static KernelProgram schedule(IrModule module, boolean matmulEpilogues) { return new Scheduler(module, matmulEpilogues).run(); }

    private KernelProgram run() {
        ModelInfo info = module.info();
        Map<String, Node> leaves = leavesByName();
        for (TensorSpec t : info.tensors()) {
            Node n = t.role() == Role.OUTPUT ? module.train().outputs().get(t.name()) : leaves.get(t.name());
            Buffer b = newBuffer(t.name(), n, t.role());
            named.put(t.name(), b);
            if (t.role() != Role.OUTPUT) storage.put(n, b);
        }
        List<KernelProgram.Entry> entries = new ArrayList<>();
        for (Graph g : module.entries()) {
            List<Kernel> kernels = PointwiseMerging.merge(scheduleEntry(g));
            if (matmulEpilogues) kernels = EpilogueMerging.merge(kernels);
            for (Kernel k : kernels) {
                Integer line = mergedLine(k);
                if (line != null) kernelLines.putIfAbsent(k, line);
            }
            entries.add(new KernelProgram.Entry(g.name(), kernels));
        }
        return new KernelProgram(info, buffers, entries).withLines(new KernelProgram.Lines(module.source().file(), kernelLines));
    }

    /** The line of a kernel made by merging scheduled ones: that of the first of them (a head, a prologue). */
    private Integer mergedLine(Kernel k) {
        Integer line = kernelLines.get(k);
        if (line != null) return line;
        return switch (k) {
            case Kernel.WithEpilogue w -> mergedLine(w.head());
            case Kernel.Fused f -> mergedLine(f.parts().get(0));
            case Kernel.Reduce r when !r.prologue().isEmpty() -> mergedLine(r.prologue().get(0));
            default -> null;
        };
    }

    private Map<String, Node> leavesByName() {
        Map<String, Node> leaves = new LinkedHashMap<>();
        for (Graph g : module.entries())
            for (Node n : g.nodes()) {
                String name = switch (n.op()) {
                    case Op.Input i -> i.name();
                    case Op.Param p -> p.name();
                    case Op.State s -> s.name();
                    default -> null;
                };
                if (name != null) leaves.putIfAbsent(name, n);
            }
        return leaves;
    }

    /** {@code t12}, or {@code h_12} / {@code d_h_12} when the node computes binding h or its gradient. */
    private String tempName(Node n) {
        String label = module.labels().get(n);
        return label == null ? "t" + n.id() : label + "_" + n.id();
    }

    private Buffer newBuffer(String name, Node n, Role role) {
        Buffer b = new Buffer(buffers.size(), name, n.type().dtype(), n.shape(), role);
        buffers.add(b);
        return b;
    }

    private List<Kernel> scheduleEntry(Graph g) {
        FusionPlan plan = new FusionPlan(g, matmulEpilogues);
        Map<Node, String> inPlace = planInPlaceUpdates(g, plan);
        Map<Node, String> exportNames = new IdentityHashMap<>();
        g.outputs().forEach((name, n) -> exportNames.putIfAbsent(n, name));

        List<Kernel> kernels = new ArrayList<>();
        scheduleNodes(plan, inPlace, exportNames, kernels, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        // Exports whose value lives elsewhere (a leaf, an alias, or a second name for a node) are copied.
        g.outputs().forEach((name, n) -> {
            Buffer target = named.get(name);
            if (storage.get(n) != target) {
                kernels.add(copy(n, target, plan));
                lineOf(n, kernels, kernels.size() - 1);
            }
        });
        g.updates().forEach((name, v) -> {
            Buffer target = named.get(name);
            if (storage.get(v) != target) {
                kernels.add(copy(v, target, plan));
                lineOf(v, kernels, kernels.size() - 1);
            }
        });
        return kernels;
    }

    /**
     * Appends the kernels of {@code plan}'s nodes to {@code kernels}: fused nodes inside their
     * consumers, every output of a loop with the loop's first output met ({@code loopsDone}: loops
     * already scheduled in this entry).
     */
    private void scheduleNodes(FusionPlan plan, Map<Node, String> inPlace, Map<Node, String> exportNames, List<Kernel> kernels,
                               java.util.Set<nnc.ir.ScanBody> loopsDone) {
        for (Node n : plan.nodes()) {
            int before = kernels.size();
            scheduleNode(n, plan, inPlace, exportNames, kernels, loopsDone);
            lineOf(n, kernels, before);
        }
    }

    private void scheduleNode(Node n, FusionPlan plan, Map<Node, String> inPlace, Map<Node, String> exportNames, List<Kernel> kernels,
                              java.util.Set<nnc.ir.ScanBody> loopsDone) {
        if (n.op() instanceof Op.Scan s) {
            if (loopsDone.add(s.body())) kernels.addAll(loopKernels(n, s.body(), plan));
            return;
        }
        if (n.op() instanceof Op.Iota && needsStoredIndex(n, plan)) {
            // read through a buffer (a matmul operand, reshaped, transposed): stored once per step
            Buffer out = storage.computeIfAbsent(n, k -> newBuffer(tempName(k), k, null));
            kernels.add(new Kernel.Pointwise(n.shape(), out, expr(n, n.shape(), plan)));
            return;
        }
        if (n.op() instanceof Op.Reshape) {
            if (!FusionPlan.isImmediate(n) && !plan.isFused(n)) storage.putIfAbsent(n, bufferOf(n.input(0)));
            return;
        }
        if (!plan.hasKernel(n)) return;
        Buffer out = storage.get(n);
        if (out == null) {
            String export = exportNames.get(n);
            if (inPlace.containsKey(n)) out = named.get(inPlace.get(n));
            else if (export != null && storage.values().stream().noneMatch(b -> b == named.get(export))) out = named.get(export);
            else out = newBuffer(tempName(n), n, null);
            storage.put(n, out);
        }
        Node product = plan.epilogueMatmul(n);
        if (product != null) {
            storage.put(product, out); // the epilogue reads the product where the matmul wrote it
            kernels.add(matmulKernel(product, out, n, plan));
            return;
        }
        kernels.add(kernelFor(n, out, plan));
    }

    /**
     * The kernels of a loop ({@link nnc.ir.ScanBody}) computing every output of it that {@code
     * plan}'s entry uses: copies of the initial carries into the carry buffers, then a
     * {@link Kernel.Loop} whose step copies in the sequence slices, runs the body's kernels, copies
     * the step results out to their place in the stacked outputs and the carry results into the
     * carry buffers, which hold the final carries at the end.
     */
    private List<Kernel> loopKernels(Node first, nnc.ir.ScanBody body, FusionPlan plan) {
        int c = body.carries().size(), q = body.slices().size();
        List<Kernel> kernels = new ArrayList<>();
        List<Buffer> carryBuffers = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Node v = body.carries().get(i);
            Buffer b = storage.computeIfAbsent(v, k -> newBuffer(tempName(k), k, null));
            carryBuffers.add(b);
            kernels.add(new Kernel.Pointwise(v.shape(), b, expr(first.input(i), v.shape(), plan)));
        }
        List<Kernel> step = new ArrayList<>();
        for (int j = 0; j < q; j++) {
            Node v = body.slices().get(j);
            Buffer b = storage.computeIfAbsent(v, k -> newBuffer(tempName(k), k, null));
            step.add(new Kernel.StepCopy(load(first.input(c + j)), true, b, false, v.shape().numel()));
        }
        List<Node> outputs = new ArrayList<>(), used = new ArrayList<>(body.carryResults());
        for (Node n : plan.nodes())
            if (n.op() instanceof Op.Scan s && s.body() == body) {
                outputs.add(n);
                if (s.output() >= c) used.add(body.stepResults().get(s.output() - c));
            }
        FusionPlan bodyPlan = FusionPlan.ofLoop(body, used, matmulEpilogues);
        scheduleNodes(bodyPlan, Map.of(), Map.of(), step, new java.util.HashSet<>());
        Buffer anyOutput = null;
        for (Node n : outputs) {
            Op.Scan s = (Op.Scan) n.op();
            int k = s.output();
            if (k < c) {
                storage.put(n, carryBuffers.get(k));
                continue;
            }
            Node r = body.stepResults().get(k - c);
            Buffer out = storage.computeIfAbsent(n, x -> newBuffer(tempName(x), x, null));
            step.add(new Kernel.StepCopy(resultBuffer(r, bodyPlan, step), false, out, true, r.shape().numel()));
            if (anyOutput == null) anyOutput = out;
        }
        // next carries: a result that is itself a carry buffer is saved first, so no carry is overwritten before it is read
        List<Buffer> next = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Buffer r = resultBuffer(body.carryResults().get(i), bodyPlan, step);
            if (carryBuffers.contains(r) && r != carryBuffers.get(i)) {
                Node v = body.carries().get(i);
                Buffer saved = newBuffer(tempName(v) + "_next", v, null);
                step.add(new Kernel.StepCopy(r, false, saved, false, v.shape().numel()));
                r = saved;
            }
            next.add(r);
        }
        for (int i = 0; i < c; i++)
            if (next.get(i) != carryBuffers.get(i))
                step.add(new Kernel.StepCopy(next.get(i), false, carryBuffers.get(i), false, body.carries().get(i).shape().numel()));
        kernels.add(new Kernel.Loop(body.length(), body.reverse(), step, anyOutput != null ? anyOutput : carryBuffers.get(0)));
        return kernels;
    }

    /** The buffer holding loop result {@code r} at the end of a step; an immediate is written to one by a kernel of the step. */
    private Buffer resultBuffer(Node r, FusionPlan bodyPlan, List<Kernel> step) {
        Buffer b = storage.get(r);
        if (b != null) return b;
        Buffer t = newBuffer(tempName(r), r, null);
        step.add(new Kernel.Pointwise(r.shape(), t, expr(r, r.shape(), bodyPlan)));
        return t;
    }

    /**
     * Updates whose new value can be written straight into the parameter's buffer: the value is an
     * elementwise kernel of the same shape, exported nowhere, and every other kernel that reads the
     * old value runs before it.
     */
    private Map<Node, String> planInPlaceUpdates(Graph g, FusionPlan plan) {
        Map<Node, String> result = new IdentityHashMap<>();
        Map<String, Node> leaves = leavesByName();
        java.util.Set<Node> roots = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        roots.addAll(g.outputs().values());
        g.updates().forEach((name, v) -> {
            Node leaf = leaves.get(name);
            boolean elementwise = v.op() instanceof Op.Unary || v.op() instanceof Op.Binary;
            if (leaf == null || !elementwise || !plan.hasKernel(v) || roots.contains(v) || result.containsKey(v)
                    || !v.shape().equals(leaf.shape()) || storage.containsKey(v)) return;
            for (Node r : plan.readers(leaf)) if (r != v && r.id() > v.id()) return;
            result.put(v, name);
        });
        return result;
    }

    private Buffer bufferOf(Node n) {
        Buffer b = storage.get(n);
        if (b == null) throw new IllegalStateException("no buffer for " + n + " (fused nodes cannot be reshaped)");
        return b;
    }

    private Kernel kernelFor(Node n, Buffer out, FusionPlan plan) {
        return switch (n.op()) {
            case Op.Reduce r -> new Kernel.Reduce(n.input(0).shape(), r.axes(), r.fn(), out, expr(n.input(0), n.input(0).shape(), plan));
            case Op.MatMul m -> matmulKernel(n, out, null, plan);
            // conv branch: convolution and pooling call the runtime
            case Op.Spatial s -> SpatialKernels.call(n, out, this::load, this::workspaceBuffer);
            // gather branch: the adjoint of a gather calls the runtime's scatter-add
            case Op.ScatterAdd s -> scatterAdd(n, out);
            default -> new Kernel.Pointwise(n.shape(), out, opExpr(n, n.shape(), plan));
        };
    }

    /** The product {@code n} into {@code out}, then (when {@code epilogue} is not null) that node's pointwise value in place. */
    private Kernel matmulKernel(Node n, Buffer out, Node epilogue, FusionPlan plan) {
        Op.MatMul m = (Op.MatMul) n.op();
        Node a = n.input(0), b = n.input(1);
        Buffer ab = load(a), bb = load(b);
        if (ab == out || bb == out) throw new IllegalStateException("matmul output aliases an operand: " + n);
        int r = n.shape().rank(); // a batched product multiplies the matrices of its last two axes
        Kernel.MatMul product = new Kernel.MatMul(ab, bb, out, m.transA(), m.transB(),
                n.shape().dim(r - 2), n.shape().dim(r - 1), m.transA() ? a.shape().dim(r - 2) : a.shape().dim(r - 1),
                nnc.types.ShapeRules.batchCount(n.shape()));
        if (epilogue == null) return product;
        return new Kernel.WithEpilogue(product, List.of(new Kernel.Pointwise(epilogue.shape(), out, opExpr(epilogue, epilogue.shape(), plan))));
    }

    /** {@code out = scatter_add(values, indices)}: the values' rows into a zeroed [rows, cols] table. */
    private Kernel scatterAdd(Node n, Buffer out) {
        Buffer values = load(n.input(0)), indices = load(n.input(1));
        if (values == out) throw new IllegalStateException("scatter_add output aliases its values: " + n);
        return new Kernel.ScatterAdd(values, indices, out, n.input(1).shape().numel(),
                Math.toIntExact(n.shape().dim(0).size()), Math.toIntExact(n.shape().dim(1).size()));
    }

    /** A fresh intermediate for a library call's workspace (conv branch). */
    private Buffer workspaceBuffer(Shape shape) {
        Buffer b = new Buffer(buffers.size(), "work" + buffers.size(), nnc.runtime.DType.F32, shape, null);
        buffers.add(b);
        return b;
    }

    private Buffer load(Node n) {
        Buffer b = storage.get(n);
        if (b == null) throw new IllegalStateException("matmul operand without a buffer: " + n);
        return b;
    }

    private Kernel copy(Node from, Buffer to, FusionPlan plan) {
        return new Kernel.Pointwise(to.shape(), to, expr(from, to.shape(), plan));
    }

    /** An iota that some consumer reads from memory rather than recomputing it in its loop. */
    private static boolean needsStoredIndex(Node n, FusionPlan plan) {
        for (Node u : plan.consumersOf(n)) {
            nnc.ir.FusionKind k = u.op().fusionKind();
            if (k != nnc.ir.FusionKind.ELEMENTWISE && k != nnc.ir.FusionKind.BROADCAST && k != nnc.ir.FusionKind.REDUCE) return true;
        }
        return false;
    }

    /** The value of {@code n} at each point of {@code domain}, to which n's shape broadcasts. */
    private KExpr expr(Node n, Shape domain, FusionPlan plan) {
        if (n.op() instanceof Op.Constant c) return new KExpr.Const((float) c.value());
        if (n.op() instanceof Op.DimSize d) return new KExpr.DimSize(d.symbol());
        if (n.op() instanceof Op.Iota io) { // recomputed in every loop, even when also stored for another reader
            // n's axis, aligned right with the domain (broadcasting); an axis of size 1 is index 0 everywhere
            if (io.shape().dim(io.axis()).isOne()) return new KExpr.Const(0f);
            return new KExpr.Index(domain.rank() - io.shape().rank() + io.axis());
        }
        // a reshape of an immediate or of a recomputed uniform value reads the same single value everywhere
        if (n.op() instanceof Op.Reshape && (FusionPlan.isImmediate(n) || plan.isFused(n))) return expr(n.input(0), domain, plan);
        if (plan.isFused(n)) return opExpr(n, domain, plan);
        Buffer b = storage.get(n);
        if (b == null) throw new IllegalStateException("value used before it is computed: " + n);
        return new KExpr.Load(b, broadcastStrides(n.shape(), domain));
    }

    /** n's own operation at each point of {@code domain} (n.shape() broadcasts to it). */
    private KExpr opExpr(Node n, Shape domain, FusionPlan plan) {
        return switch (n.op()) {
            case Op.Unary u -> new KExpr.Unary(u.fn(), expr(n.input(0), domain, plan));
            case Op.Binary bin -> new KExpr.Binary(bin.fn(), expr(n.input(0), domain, plan), expr(n.input(1), domain, plan));
            case Op.Broadcast bc -> expr(n.input(0), domain, plan);
            case Op.Where w -> new KExpr.Select(expr(n.input(0), domain, plan), expr(n.input(1), domain, plan), expr(n.input(2), domain, plan));
            case Op.Transpose t -> {
                // a copy whose load walks the input with permuted strides (the input has a buffer: injective ops fuse nothing in)
                Node x = n.input(0);
                if (FusionPlan.isImmediate(x)) yield expr(x, domain, plan);
                List<Size> inStrides = x.shape().strides();
                List<Size> strides = new ArrayList<>();
                for (int k = 0; k < t.perm().size(); k++)
                    strides.add(x.shape().dim(t.perm().get(k)).isOne() ? Size.of(0) : inStrides.get(t.perm().get(k)));
                if (!domain.equals(n.shape())) throw new IllegalStateException("transpose evaluated over another domain: " + n);
                yield new KExpr.Load(bufferOf(x), strides);
            }
            case Op.OneHot oh -> new KExpr.OneHot(indexLoad(n, n.input(0), domain), domain.rank() - 1);
            // gather branch: the row an index picks, read at the column of the domain's last axis
            case Op.Gather ga -> {
                Node table = n.input(0);
                List<Size> columns = new ArrayList<>(java.util.Collections.nCopies(domain.rank(), Size.of(0)));
                if (!n.shape().last().isOne()) columns.set(domain.rank() - 1, Size.of(1));
                yield new KExpr.Gather(indexLoad(n, n.input(1), domain), new KExpr.Load(bufferOf(table), columns),
                        Math.toIntExact(table.shape().dim(0).size()), Math.toIntExact(table.shape().dim(1).size()));
            }
            default -> throw new IllegalStateException("not a pointwise op: " + n);
        };
    }

    /**
     * The load of the i32 {@code indices} [..] of {@code n} [.., k] (a one-hot row or a gathered row) at
     * each point of {@code domain}: the index of the point's row, constant along the last axis.
     */
    private KExpr.Load indexLoad(Node n, Node indices, Shape domain) {
        Buffer ib = storage.get(indices);
        if (ib == null) throw new IllegalStateException(n.op().mnemonic() + " of a computed index tensor: " + n);
        List<Size> strides = new ArrayList<>(broadcastStrides(n.shape(), domain));
        List<Size> idxStrides = indices.shape().strides();
        int off = domain.rank() - n.shape().rank();
        for (int k = 0; k < indices.shape().rank(); k++)
            strides.set(off + k, n.shape().dim(k).equals(domain.dim(off + k)) ? idxStrides.get(k) : Size.of(0));
        strides.set(domain.rank() - 1, Size.of(0));
        return new KExpr.Load(ib, strides);
    }

    /** Row-major strides of a tensor of shape {@code s} read at each point of {@code domain}: 0 on broadcast axes. */
    static List<Size> broadcastStrides(Shape s, Shape domain) {
        List<Size> own = s.strides();
        List<Size> out = new ArrayList<>(domain.rank());
        int off = domain.rank() - s.rank();
        for (int a = 0; a < domain.rank(); a++) {
            int k = a - off;
            boolean broadcast = k < 0 || (s.dim(k).isOne() && !domain.dim(a).isOne());
            out.add(broadcast || s.dim(k).isOne() ? Size.of(0) : own.get(k));
        }
        return out;
    }
}

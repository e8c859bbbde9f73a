package nnc.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.FusionKind;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Recompute;
import nnc.ir.ScanBody;
import nnc.types.Shape;
import nnc.types.ShapeRules;

/**
 * Decides, for one entry graph, which nodes get their own kernel and which are computed inside
 * their consumers' loops. It reads only each op's {@link FusionKind}:
 * <ul>
 *   <li>an elementwise, broadcast, one-hot, gather, slice or pad node with exactly one consumer, not exported, and of
 *       the same shape as that consumer's loop domain, is fused into it (so is one cheap op over
 *       stored values into a larger loop it broadcasts to); constants are always inlined; reshapes
 *       alias their input;</li>
 *   <li>recomputed inside every consumer instead of stored, when all consumers are loops: uniform
 *       values (cheap arithmetic on scalar leaves, also broadcast: {@code −(1 / batch)}), broadcasts
 *       of leaves, one-hot rows of an index input and rows gathered by one;</li>
 *   <li>a matmul whose single elementwise consumer ends up in a pointwise kernel of the product's
 *       shape takes that kernel as its epilogue (bias, activation, activation derivative).</li>
 * </ul>
 * Recomputing and fusing evaluate the same operations on the same values in the same order, so
 * results do not change.
 */
final class FusionPlan {
    private final List<Node> nodes;
    private final Map<Node, List<Node>> consumers = new IdentityHashMap<>();
    private final Set<Node> fused = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Node> roots = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Pointwise kernel node → the matmul whose epilogue it becomes. */
    private final Map<Node, Node> epilogueOf = new IdentityHashMap<>();
    private final Set<Node> intoEpilogue = Collections.newSetFromMap(new IdentityHashMap<>());

    private final Set<Node> updateValues = Collections.newSetFromMap(new IdentityHashMap<>());

    FusionPlan(Graph graph) { this(graph, true); }

    FusionPlan(Graph graph, boolean matmulEpilogues) {
        this(graph.nodes(), graph.roots(), graph.updates().values(), matmulEpilogues);
    }

    /**
     * The plan of a loop body ({@link nnc.ir.ScanBody}) for the results an entry uses (the carry
     * results and the step results of the outputs it reads), which are its roots: only the body
     * nodes they need. The values it captures are computed before the loop and read from their buffers.
     */
    static FusionPlan ofLoop(ScanBody body, List<Node> usedResults, boolean matmulEpilogues) {
        return new FusionPlan(body.nodes(usedResults), usedResults, List.of(), matmulEpilogues);
    }

    private FusionPlan(List<Node> nodes, Collection<Node> roots, Collection<Node> updates, boolean matmulEpilogues) {
        this.nodes = List.copyOf(nodes);
        updateValues.addAll(updates);
        for (Node n : nodes) for (Node in : n.inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        this.roots.addAll(roots);
        for (Node n : nodes) {
            if (canFuse(n) || canRecompute(n)) fused.add(n);
            limitExpression(n);
        }
        if (matmulEpilogues) for (Node n : nodes) planEpilogue(n);
    }

    /**
     * A matmul whose only consumer is elementwise of the same shape, computed in a pointwise kernel
     * over that shape, runs that kernel as its epilogue: one kernel instead of two, and the product
     * is never stored separately. Not for parameter or state updates (those may be written in place
     * over a buffer the epilogue reads), and one matmul per kernel.
     */
    private void planEpilogue(Node m) {
        if (!(m.op() instanceof Op.MatMul) || roots.contains(m) || m.shape().rank() != 2) return; // batched products: no epilogue
        List<Node> users = consumersOf(m);
        if (users.size() != 1 || users.get(0).op().fusionKind() != FusionKind.ELEMENTWISE || !users.get(0).shape().equals(m.shape())) return;
        Set<Node> ks = kernelsOf(users.get(0));
        if (ks.size() != 1) return;
        Node k = ks.iterator().next();
        if (k.op().fusionKind() != FusionKind.ELEMENTWISE || !k.shape().equals(m.shape()) || updateValues.contains(k) || epilogueOf.containsKey(k)) return;
        epilogueOf.put(k, m);
        intoEpilogue.add(m);
    }

    /**
     * Keeps the expression a kernel evaluates for {@code n} within {@link #MAX_EXPRESSION} nodes and
     * {@link #MAX_EXPRESSION_LOADS} loads: a long chain of single-use elementwise ops (a sum of 150
     * dense layers' outputs) would otherwise fuse into one expression reading more buffers than a
     * method takes, or more bytecode than HotSpot compiles. While n's is too large, its largest
     * fused elementwise input gets a kernel of its own (a load in n's expression). Every node's
     * expression stays within the limits, inputs first, so n's shrinks to a few nodes at worst.
     */
    private void limitExpression(Node n) {
        int[] size = measure(n);
        expressionSize.put(n, size);
        while (size[0] > MAX_EXPRESSION || size[1] > MAX_EXPRESSION_LOADS) {
            Node largest = null;
            for (Node in : n.inputs())
                if (fused.contains(in) && (in.op() instanceof Op.Unary || in.op() instanceof Op.Binary || in.op() instanceof Op.Where)
                        && (largest == null || expressionSize.get(in)[0] > expressionSize.get(largest)[0])) largest = in;
            if (largest == null) return;
            fused.remove(largest);
            size = measure(n);
            expressionSize.put(n, size);
        }
    }

    /** Nodes and loads of the expression evaluating {@code n} with its fused inputs inlined (an estimate: the loads may repeat buffers). */
    private int[] measure(Node n) {
        int nodes = 1, loads = 0;
        for (Node in : n.inputs()) {
            int[] s = fused.contains(in) ? expressionSize.get(in) : null;
            if (s == null) {
                nodes++;
                loads++;
            } else {
                nodes += s[0];
                loads += s[1];
            }
        }
        return new int[] {nodes, loads};
    }

    /** Per node: nodes and loads of its expression (see {@link #limitExpression}). */
    private final Map<Node, int[]> expressionSize = new IdentityHashMap<>();

    /** Limits of one kernel's fused expression: well within {@link MergeBudget}'s, so such a kernel can still take epilogues. */
    static final int MAX_EXPRESSION = 300, MAX_EXPRESSION_LOADS = 120;

    /** The matmul whose epilogue {@code kernelNode}'s pointwise kernel is, or null. */
    Node epilogueMatmul(Node kernelNode) { return epilogueOf.get(kernelNode); }

    List<Node> nodes() { return nodes; }

    List<Node> consumersOf(Node n) { return consumers.getOrDefault(n, List.of()); }

    /** Computed inside its consumer's kernel. */
    boolean isFused(Node n) { return fused.contains(n); }

    /** Constants and run-time sizes (also reshaped): always an immediate in the expression. */
    static boolean isImmediate(Node n) {
        if (n.op() instanceof Op.Reshape) return isImmediate(n.input(0));
        return n.op() instanceof Op.Constant || n.op() instanceof Op.DimSize;
    }

    /** A node that owns a kernel producing a buffer. */
    boolean hasKernel(Node n) {
        return !n.isLeaf() && !isFused(n) && !(n.op() instanceof Op.Reshape) && !intoEpilogue.contains(n);
    }

    /** The shape of the loop that consumes {@code n} when {@code consumer} has its own kernel. */
    static Shape domainOf(Node consumer) {
        return consumer.op() instanceof Op.Reduce ? consumer.input(0).shape() : consumer.shape();
    }

    private boolean canFuse(Node n) {
        FusionKind k = n.op().fusionKind();
        boolean fusableKind = k == FusionKind.ELEMENTWISE || k == FusionKind.BROADCAST
                || (k == FusionKind.INJECTIVE && (n.op() instanceof Op.OneHot || n.op() instanceof Op.Gather || n.op() instanceof Op.Slice
                        || n.op() instanceof Op.Pad));
        if (!fusableKind || roots.contains(n)) return false;
        List<Node> users = consumersOf(n);
        if (users.size() != 1) return false;
        Node user = users.get(0);
        if (n.op() instanceof Op.Slice && user.op() instanceof Op.Pad) return true; // the pad's load reads x where the slice would
        FusionKind uk = user.op().fusionKind();
        boolean loopConsumer = uk == FusionKind.ELEMENTWISE || uk == FusionKind.BROADCAST || uk == FusionKind.REDUCE;
        if (!loopConsumer) return false;
        if (n.shape().equals(domainOf(user))) return true;
        return isCheapOverLoads(n) && ShapeRules.broadcastsTo(n.shape(), domainOf(user));
    }

    /**
     * One cheap op over stored values or uniform ones, e.g. {@code (1/batch) / rowSum}: worth
     * recomputing at each point of a larger consumer loop (a [batch,1] value in a [batch,10] loop)
     * rather than storing it. Its inputs are not recomputed with it, so the extra work is one op per point.
     */
    private boolean isCheapOverLoads(Node n) {
        if (recompute(n.op()) != Recompute.ALWAYS) return false;
        for (Node in : n.inputs()) if (fused.contains(in) && !isUniform(in, MAX_RECOMPUTE_DEPTH)) return false;
        return true;
    }

    /** Whether a kernel may recompute op's value at every point (the function's own fact); never for other ops. */
    private static Recompute recompute(Op op) {
        return switch (op) {
            case Op.Unary u -> u.fn().recompute();
            case Op.Binary b -> b.fn().recompute();
            default -> Recompute.NEVER;
        };
    }

    private boolean canRecompute(Node n) {
        if (n.isLeaf() || roots.contains(n) || consumersOf(n).isEmpty() || !consumersAreLoops(n)) return false;
        if (isUniform(n, MAX_RECOMPUTE_DEPTH)) return true;
        if (isShortOverStored(n)) return true;
        // one compare per point, cheaper than a stored [batch, classes] tensor; or one indexed load per
        // point (a gathered row), as cheap as reading a stored copy
        // a slice is one load at an offset, as cheap as reading a stored copy of it
        boolean lookup = n.op() instanceof Op.OneHot && n.input(0).isLeaf() || n.op() instanceof Op.Gather && n.input(1).isLeaf()
                || n.op() instanceof Op.Slice;
        if (lookup) return consumersOf(n).stream().allMatch(u -> n.shape().equals(domainOf(u)));
        return n.op() instanceof Op.Broadcast && n.input(0).isLeaf()
                && consumersOf(n).stream().allMatch(u -> n.shape().equals(domainOf(u)));
    }

    /**
     * At most two cheap ops or {@code exp} over stored values (with the producers fused into it), read by at most two
     * loops over exactly its shape: softmax's {@code exp(x − max)}, read by the row sum and by the
     * gradient. Evaluating it in both loops costs two ops per point and saves a kernel and a stored
     * tensor; the values are the same.
     */
    private boolean isShortOverStored(Node n) {
        if (!(n.op() instanceof Op.Unary || n.op() instanceof Op.Binary) || distinctConsumers(n) > MAX_RECOMPUTE_READERS) return false;
        for (Node u : consumersOf(n)) if (!n.shape().equals(domainOf(u))) return false;
        return opsOverStored(n) <= MAX_RECOMPUTED_OPS;
    }

    /** The ops a kernel evaluates for {@code n}: n's own and those of the producers fused into it (uniform ones are free). */
    private int opsOverStored(Node n) {
        if (recompute(n.op()) == Recompute.NEVER) return Integer.MAX_VALUE; // not erf (gelu), pow or the like: computed once
        int ops = 1;
        for (Node in : n.inputs())
            if (fused.contains(in) && !isUniform(in, MAX_RECOMPUTE_DEPTH) && !isImmediate(in)) {
                if (!(in.op() instanceof Op.Unary || in.op() instanceof Op.Binary) || consumersOf(in).size() != 1) return Integer.MAX_VALUE;
                int more = opsOverStored(in);
                if (more == Integer.MAX_VALUE) return more;
                ops += more;
            }
        return ops;
    }

    static final int MAX_RECOMPUTE_READERS = 2, MAX_RECOMPUTED_OPS = 2;

    /** The distinct nodes reading {@code n} ({@code t·t} is one reader: gelu's backward squares x/√2). */
    private int distinctConsumers(Node n) {
        Set<Node> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(consumersOf(n));
        return distinct.size();
    }

    /** Every consumer is a loop, or a reshape of a uniform value whose consumers are (recursively). */
    private boolean consumersAreLoops(Node n) {
        for (Node u : consumersOf(n)) {
            FusionKind uk = u.op().fusionKind();
            boolean loop = uk == FusionKind.ELEMENTWISE || uk == FusionKind.BROADCAST || uk == FusionKind.REDUCE;
            boolean uniformAlias = u.op() instanceof Op.Reshape && !roots.contains(u) && isUniform(u, MAX_RECOMPUTE_DEPTH) && consumersAreLoops(u);
            if (!loop && !uniformAlias) return false;
        }
        return true;
    }

    /** How many cheap ops deep a recomputed expression may be. */
    static final int MAX_RECOMPUTE_DEPTH = 4;

    /**
     * A value equal at every element, made by at most {@code depth} cheap ops from scalar leaves
     * (through broadcasts and reshapes): {@code −(1 / batch)} broadcast to {@code [batch,1]}.
     */
    static boolean isUniform(Node n, int depth) {
        if (n.isLeaf()) return n.shape().isScalar();
        if (depth == 0) return false;
        Op op = n.op();
        if (op instanceof Op.Broadcast) return isUniform(n.input(0), depth - 1);
        if (op instanceof Op.Reshape) return isUniform(n.input(0), depth - 1);
        if (op instanceof Op.Unary u) return u.fn().recompute() == Recompute.ALWAYS && isUniform(n.input(0), depth - 1);
        if (op instanceof Op.Binary b) return b.fn().recompute() == Recompute.ALWAYS && isUniform(n.input(0), depth - 1) && isUniform(n.input(1), depth - 1);
        return false;
    }

    /** The nodes whose kernels evaluate {@code n}: itself, or every kernel it is fused or recomputed into. */
    Set<Node> kernelsOf(Node n) {
        Set<Node> out = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> work = new ArrayList<>(List.of(n));
        while (!work.isEmpty()) {
            Node k = work.remove(work.size() - 1);
            if (isFused(k) || intoEpilogue.contains(k)) work.addAll(consumersOf(k));
            else out.add(k);
        }
        return out;
    }

    /** Nodes whose kernels read {@code leaf}, looking through reshape aliases. */
    Set<Node> readers(Node leaf) {
        Set<Node> out = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> seen = new HashSet<>();
        List<Node> work = new ArrayList<>(List.of(leaf));
        while (!work.isEmpty()) {
            Node x = work.remove(work.size() - 1);
            if (!seen.add(x)) continue;
            for (Node c : consumersOf(x)) {
                if (c.op() instanceof Op.Reshape) work.add(c);
                else out.addAll(kernelsOf(c));
            }
        }
        return out;
    }
}

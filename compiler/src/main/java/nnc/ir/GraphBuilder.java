package nnc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.Size;
import nnc.types.TensorType;

/**
 * The only way to make {@link Node}s. Interns them (same op and inputs → same node), infers and
 * checks their types, and keeps them in creation order, which is a topological order.
 * The convenience methods are the vocabulary lowering, autodiff and the optimisers build with.
 */
public final class GraphBuilder {
    private record Key(Op op, List<Integer> inputIds) {
        // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
        // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
        @Override public boolean equals(Object other) {
            return other instanceof Key that && Objects.equals(op, that.op) && Objects.equals(inputIds, that.inputIds);
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(op) + Objects.hashCode(inputIds); }
    }

    private final Map<Key, Node> interned = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Node, String> labels = new IdentityHashMap<>();
    private final Map<Node, Integer> lines = new IdentityHashMap<>();
    private int line;

    /**
     * The {@code .nn} line of the statement being built (0: none): each node made from now on
     * records it ({@link #lines()}); nodes made earlier keep theirs.
     */
    public void atLine(int line) { this.line = line; }

    /** The line each node was first made at (nodes made with a line set). */
    public Map<Node, Integer> lines() { return Collections.unmodifiableMap(new IdentityHashMap<>(lines)); }

    /** The line {@code n} was made at, or 0. */
    public int lineOf(Node n) { return lines.getOrDefault(n, 0); }

    /** Records {@code line} for {@code n} unless it has one. */
    public void setLineIfAbsent(Node n, int line) { if (line > 0) lines.putIfAbsent(n, line); }

    public Node node(Op op, List<Node> inputs) {
        List<Integer> ids = new ArrayList<>(inputs.size()); // a loop, not a stream: this runs interpreted at start-up
        for (Node in : inputs) ids.add(in.id());
        Key key = new Key(op, ids);
        Node existing = interned.get(key);
        if (existing != null) return existing;
        Node n;
        try {
            n = new Node(nodes.size(), op, inputs, TypeRules.infer(op, inputs));
        } catch (ShapeError e) {
            throw new IllegalStateException("ill-typed IR: " + op.mnemonic() + op.attributes() + " on "
                    + inputs.stream().map(x -> x.type().toString()).toList() + ": " + e.getMessage(), e);
        }
        interned.put(key, n);
        nodes.add(n);
        if (line > 0) lines.put(n, line);
        return n;
    }

    public Node node(Op op, Node... inputs) { return node(op, List.of(inputs)); }

    /** All nodes made so far, in creation (topological) order. */
    public List<Node> nodes() { return List.copyOf(nodes); }

    /**
     * Gives {@code n} a name for people (a binding of the model, {@code d_h} for its gradient), kept
     * if it has one already; printers and generated code show it. Returns {@code n}.
     */
    public Node label(Node n, String name) {
        if (!(n.op() instanceof Op.Input || n.op() instanceof Op.Param || n.op() instanceof Op.State || n.op() instanceof Op.Constant))
            labels.putIfAbsent(n, name);
        return n;
    }

    /** The label of {@code n}, or null. */
    public String labelOf(Node n) { return labels.get(n); }

    /** Every label given so far (identity keys). */
    public Map<Node, String> labels() { return Collections.unmodifiableMap(new IdentityHashMap<>(labels)); }

    // ---- vocabulary ----
    public Node constant(double v) { return node(new Op.Constant(v)); }
    public Node dimSize(String symbol) { return node(new Op.DimSize(symbol)); }
    public Node unary(UnaryFn fn, Node x) { return node(new Op.Unary(fn), x); }
    public Node binary(BinaryFn fn, Node a, Node b) { return node(new Op.Binary(fn), a, b); }
    public Node where(Node cond, Node a, Node otherwise) { return node(new Op.Where(), cond, a, otherwise); }
    public Node add(Node a, Node b) { return binary(BinaryFn.ADD, a, b); }
    public Node sub(Node a, Node b) { return binary(BinaryFn.SUB, a, b); }
    public Node mul(Node a, Node b) { return binary(BinaryFn.MUL, a, b); }
    public Node div(Node a, Node b) { return binary(BinaryFn.DIV, a, b); }
    public Node neg(Node x) { return unary(UnaryFn.NEG, x); }
    public Node matmul(Node a, Node b, boolean ta, boolean tb) { return node(new Op.MatMul(ta, tb), a, b); }
    /**
     * {@code x @ w} over the last axis of an {@code x} of any rank ≥ 2 ({@code [batch, time, d] @ [d, e]
     * → [batch, time, e]}): the leading axes are flattened into the rows of one GEMM and unflattened
     * after, both reshapes of a row-major buffer, so they cost nothing.
     */
    public Node matmulLastAxis(Node x, Node w, boolean transB) { return matmulLastAxis(x, w, transB, null); }

    /**
     * As {@link #matmulLastAxis(Node, Node, boolean)}, plus {@code bias} (null: none) added to the
     * flattened product before it is unflattened, so the addition stays the GEMM's epilogue.
     */
    public Node matmulLastAxis(Node x, Node w, boolean transB, Node bias) {
        if (x.shape().rank() == 2) {
            Node p = matmul(x, w, false, transB);
            return bias == null ? p : add(p, bias);
        }
        Dim rows = Dim.ONE;
        for (int i = 0; i < x.shape().rank() - 1; i++) rows = Dim.times(rows, x.shape().dim(i));
        Node product = matmul(reshape(x, Shape.of(rows, x.shape().last())), w, false, transB);
        if (bias != null) product = add(product, bias);
        return reshape(product, x.shape().with(x.shape().rank() - 1, product.shape().last()));
    }

    /**
     * Every output of the loop {@code body} over {@code sequences} from the initial carries
     * {@code inits}, made one after another (see {@link Op.Scan}); the inputs end with the body's
     * captures.
     */
    public List<Node> scan(ScanBody body, List<Node> inits, List<Node> sequences) {
        List<Node> inputs = scanInputs(body, inits, sequences);
        List<Node> outs = new ArrayList<>();
        for (int k = 0; k < body.outputCount(); k++) outs.add(node(new Op.Scan(body, k), inputs));
        return outs;
    }

    /** Output {@code k} alone of the loop {@code body} (see {@link #scan}). */
    public Node scanOutput(ScanBody body, int k, List<Node> inits, List<Node> sequences) {
        return node(new Op.Scan(body, k), scanInputs(body, inits, sequences));
    }

    private static List<Node> scanInputs(ScanBody body, List<Node> inits, List<Node> sequences) {
        List<Node> inputs = new ArrayList<>(inits);
        inputs.addAll(sequences);
        inputs.addAll(body.captures());
        return inputs;
    }

    private final Map<Object, Integer> loopIds = new IdentityHashMap<>();

    /**
     * The loop id of the loop that {@code source} (a scan or recurrent layer call of the model) lowers
     * to: the same for every lowering of it with this builder, so the training and inference forward
     * passes share one loop where their steps are the same nodes.
     */
    public int loopId(Object source) { return loopIds.computeIfAbsent(source, k -> ScanBody.newLoopId()); }

    private final Map<Object, List<Integer>> partLoopIds = new IdentityHashMap<>();

    /** The id of loop {@code part} (0, 1, …) of {@code source} when it lowers to several loops: stable as {@link #loopId(Object)}. */
    public int loopId(Object source, int part) {
        if (part == 0) return loopId(source);
        List<Integer> ids = partLoopIds.computeIfAbsent(source, k -> new ArrayList<>());
        while (ids.size() < part) ids.add(ScanBody.newLoopId());
        return ids.get(part - 1);
    }

    /** A variable of loop {@code loop} (see {@link Op.LoopVar}). */
    public Node loopVar(int loop, boolean slice, int index, TensorType type) { return node(new Op.LoopVar(loop, slice, index, type)); }
    /** Rows {@code table[indices[p], :]}: {@code [V, D]} and i32 {@code [..]} → {@code [.., D]}. */
    public Node gather(Node table, Node indices) { return node(new Op.Gather(), table, indices); }

    /** The adjoint of {@link #gather}: {@code values [.., D]} summed into the rows {@code indices [..]} of a zero {@code [rows, D]}. */
    public Node scatterAdd(Node values, Node indices, long rows) { return node(new Op.ScatterAdd(rows), values, indices); }

    public Node reduce(ReduceFn fn, Node x, List<Integer> axes, boolean keep) { return node(new Op.Reduce(fn, axes, keep), x); }

    /** The kept maximum over {@code axes} that softmax subtracts before {@code exp}: no gradient flows through it. */
    public Node shiftMax(Node x, List<Integer> axes) { return node(new Op.Reduce(ReduceFn.MAX, axes, true, true), x); }

    public Node sum(Node x, List<Integer> axes, boolean keep) { return reduce(ReduceFn.SUM, x, axes, keep); }

    /** Sum over every axis → scalar. */
    public Node sumAll(Node x) { return x.shape().isScalar() ? x : sum(x, allAxes(x.shape()), false); }

    /** The number of elements of {@code s} along {@code axes}, as an f32 scalar node (symbolic dims at run time). */
    public Node count(Shape s, List<Integer> axes) {
        long fixed = 1;
        Node dynamic = null;
        for (int a : axes) {
            Size size = s.dim(a).asSize();
            fixed *= size.constant();
            for (String sym : size.symbols()) dynamic = dynamic == null ? dimSize(sym) : mul(dynamic, dimSize(sym));
        }
        if (dynamic == null) return constant(fixed);
        return fixed == 1 ? dynamic : mul(dynamic, constant(fixed));
    }

    public Node mean(Node x, List<Integer> axes, boolean keep) { return div(sum(x, axes, keep), count(x.shape(), axes)); }

    public Node meanAll(Node x) { return x.shape().isScalar() ? x : mean(x, allAxes(x.shape()), false); }

    public Node broadcast(Node x, Shape to) { return x.shape().equals(to) ? x : node(new Op.Broadcast(to), x); }

    public Node transpose(Node x, Op.Transpose t) { return node(t, x); }

    /**
     * {@code x} sliced (see {@link Op.Slice}); x itself when every axis is kept whole. A slice of a
     * slice is one slice of the first one's input.
     */
    public Node slice(Node x, Op.Slice s) {
        boolean identity = true;
        for (int k = 0; k < s.start().size(); k++)
            if (!s.whole(k) && !(s.start().get(k) == 0 && s.step().get(k) == 1 && x.shape().dim(k).equals(Dim.of(s.stop().get(k)))) || s.indexed(k))
                identity = false;
        if (identity) return x;
        if (x.op() instanceof Op.Slice first) return slice(x.input(0), compose(first, s));
        return node(s, x);
    }

    /** The slice reading what {@code second} reads of {@code first}'s result, from first's input. */
    private static Op.Slice compose(Op.Slice first, Op.Slice second) {
        List<Long> start = new ArrayList<>(), stop = new ArrayList<>(), step = new ArrayList<>();
        int j = 0; // second's axis: first's kept axes in order
        for (int k = 0; k < first.start().size(); k++) {
            if (first.indexed(k)) {
                start.add(first.start().get(k));
                stop.add(first.stop().get(k));
                step.add(0L);
                continue;
            }
            if (second.whole(j)) {
                start.add(first.start().get(k));
                stop.add(first.stop().get(k));
                step.add(first.step().get(k));
            } else {
                long from = first.whole(k) ? 0 : first.start().get(k), by = first.whole(k) ? 1 : first.step().get(k);
                long at = from + second.start().get(j) * by;
                start.add(at);
                if (second.indexed(j)) {
                    stop.add(at + 1);
                    step.add(0L);
                } else {
                    long st = by * second.step().get(j);
                    stop.add(at + (second.length(j) - 1) * st + 1);
                    step.add(st);
                }
            }
            j++;
        }
        return new Op.Slice(start, stop, step);
    }

    /** {@code x} padded with zeros (see {@link Op.Pad}); x itself when nothing is added. */
    public Node pad(Node x, Op.Pad p) {
        for (int k = 0; k < p.before().size(); k++)
            if (p.before().get(k) != 0 || p.after().get(k) != 0) return node(p, x);
        return x;
    }

    /**
     * {@code x} in shape {@code to}. A slice given new axes of size 1 ({@code unsqueeze}) is the slice of
     * its input given those axes, so it stays a slice (read in place) rather than a stored copy.
     */
    public Node reshape(Node x, Shape to) {
        if (x.shape().equals(to)) return x;
        if (x.op() instanceof Op.Slice s) {
            List<Integer> inserted = insertedOnes(x.shape(), to);
            if (inserted != null) return sliceWithOnes(x.input(0), s, inserted);
        }
        return node(new Op.Reshape(to), x);
    }

    /** The axes of {@code to} that are new axes of size 1 around {@code from}'s axes, or null when to is not such. */
    private static List<Integer> insertedOnes(Shape from, Shape to) {
        List<Integer> inserted = new ArrayList<>();
        int j = 0;
        for (int k = 0; k < to.rank(); k++) {
            if (j < from.rank() && to.dim(k).equals(from.dim(j))) j++;
            else if (to.dim(k).isOne()) inserted.add(k);
            else return null;
        }
        return j == from.rank() ? inserted : null;
    }

    /** {@code s} of {@code src} with whole new axes of size 1 at result positions {@code inserted}. */
    private Node sliceWithOnes(Node src, Op.Slice s, List<Integer> inserted) {
        List<Dim> dims = new ArrayList<>();
        List<Long> start = new ArrayList<>(), stop = new ArrayList<>(), step = new ArrayList<>();
        int out = 0; // result axes made so far
        for (int k = 0; k <= src.shape().rank(); k++) {
            boolean kept = k < src.shape().rank() && !s.indexed(k);
            while ((kept || k == src.shape().rank()) && inserted.contains(out)) {
                dims.add(Dim.ONE);
                start.add(0L);
                stop.add(-1L);
                step.add(1L);
                out++;
            }
            if (k == src.shape().rank()) break;
            dims.add(src.shape().dim(k));
            start.add(s.start().get(k));
            stop.add(s.stop().get(k));
            step.add(s.step().get(k));
            if (kept) out++;
        }
        return slice(reshape(src, new Shape(dims)), new Op.Slice(start, stop, step));
    }

    /**
     * Sums {@code g} (shaped like a broadcast result) down to {@code target}, the shape of the input
     * that was broadcast: the adjoint of NumPy broadcasting.
     */
    public Node unbroadcast(Node g, Shape target) {
        Shape gs = g.shape();
        if (gs.equals(target)) return g;
        int lead = gs.rank() - target.rank();
        List<Integer> leading = new ArrayList<>();
        for (int i = 0; i < lead; i++) leading.add(i);
        Node r = leading.isEmpty() ? g : sum(g, leading, false);
        List<Integer> ones = new ArrayList<>();
        for (int i = 0; i < target.rank(); i++)
            if (target.dim(i).isOne() && !r.shape().dim(i).isOne()) ones.add(i);
        if (!ones.isEmpty()) r = sum(r, ones, true);
        return reshape(r, target);
    }

    public static List<Integer> allAxes(Shape s) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) axes.add(i);
        return axes;
    }
}

package nnc.interp;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.BinaryFn;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.ScanBody;
import nnc.ir.SpatialChannels;
import nnc.ir.UnaryFn;
import nnc.runtime.DType;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * A reference evaluator of the Graph IR in double precision, written independently of the runtime
 * (plain {@link Math}, no shared kernels) so gradient checks by finite differences can ask for
 * relative errors near 1e-6 that f32 arithmetic cannot give. Simple and slow on purpose: each
 * element of each op is computed from its multi-index.
 */
public final class F64Evaluator {
    private final int batch;

    /** @param batch the size bound to the symbolic {@code batch} dimension */
    public F64Evaluator(int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1");
        this.batch = batch;
    }

    /**
     * Evaluates {@code g}'s outputs and updates.
     *
     * @param leaves values of the f32 inputs, targets, params and state by name (row-major, this batch)
     * @param ints   values of the i32 inputs by name
     * @return every output and update by name
     */
    public Map<String, double[]> run(Graph g, Map<String, double[]> leaves, Map<String, int[]> ints) {
        loops.clear();
        Map<Node, double[]> values = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof Op.Input && n.type().dtype() == DType.I32) continue;
            values.put(n, evaluate(n, values, leaves, ints));
        }
        Map<String, double[]> result = new LinkedHashMap<>();
        g.outputs().forEach((name, n) -> result.put(name, values.get(n)));
        g.updates().forEach((name, n) -> result.put(name, values.get(n)));
        return result;
    }

    /** The outputs of each loop run in this evaluation (its output nodes are evaluated one by one). */
    private final Map<ScanBody, double[][]> loops = new IdentityHashMap<>();

    /**
     * Runs the loop of scan node {@code n} step by step: the body's nodes are evaluated over the
     * current carries and slices, then the step results are stored at the step's place and the carry
     * results become the carries.
     */
    private double[][] runLoop(Node n, ScanBody body, Map<Node, double[]> values, Map<String, double[]> leaves, Map<String, int[]> ints) {
        int c = body.carries().size(), q = body.slices().size(), steps = body.length();
        double[][] carry = new double[c][];
        for (int i = 0; i < c; i++) carry[i] = values.get(n.input(i)).clone();
        double[][] outs = new double[body.outputCount()][];
        for (int k = 0; k < body.stepResults().size(); k++) outs[c + k] = new double[steps * count(dims(body.stepResults().get(k).shape()))];
        List<Node> nodes = body.nodes();
        Map<Node, double[]> local = new IdentityHashMap<>(values);
        for (int s = 0; s < steps; s++) {
            int t = body.reverse() ? steps - 1 - s : s;
            for (int i = 0; i < c; i++) local.put(body.carries().get(i), carry[i]);
            for (int j = 0; j < q; j++) {
                double[] seq = values.get(n.input(c + j));
                int len = seq.length / steps;
                local.put(body.slices().get(j), Arrays.copyOfRange(seq, t * len, (t + 1) * len));
            }
            for (Node x : nodes) {
                if (x.op() instanceof Op.LoopVar) continue;
                for (Node in : x.inputs()) if (!local.containsKey(in)) local.put(in, evaluate(in, local, leaves, ints));
                local.put(x, evaluate(x, local, leaves, ints));
            }
            for (int k = 0; k < body.stepResults().size(); k++) {
                double[] r = valueOf(body.stepResults().get(k), local, leaves, ints);
                int len = outs[c + k].length / steps;
                for (int e = 0; e < len; e++) outs[c + k][t * len + e] = r.length == 1 ? r[0] : r[e];
            }
            double[][] next = new double[c][];
            for (int i = 0; i < c; i++) next[i] = valueOf(body.carryResults().get(i), local, leaves, ints).clone();
            carry = next;
        }
        for (int i = 0; i < c; i++) outs[i] = carry[i];
        return outs;
    }

    private double[] valueOf(Node r, Map<Node, double[]> local, Map<String, double[]> leaves, Map<String, int[]> ints) {
        double[] v = local.get(r);
        return v != null ? v : evaluate(r, local, leaves, ints);
    }

    private double[] evaluate(Node n, Map<Node, double[]> values, Map<String, double[]> leaves, Map<String, int[]> ints) {
        return switch (n.op()) {
            case Op.LoopVar v -> throw new IllegalStateException("loop variable outside its loop: " + n);
            case Op.Scan s -> loops.computeIfAbsent(s.body(), b -> runLoop(n, b, values, leaves, ints))[s.output()];
            case Op.Input i -> leaf(leaves, i.name(), n);
            case Op.Param p -> leaf(leaves, p.name(), n);
            case Op.State s -> leaf(leaves, s.name(), n);
            case Op.Constant c -> new double[] {c.value()};
            case Op.DimSize d -> {
                if (!d.symbol().equals("batch")) throw new IllegalArgumentException("unbound dimension " + d.symbol());
                yield new double[] {batch};
            }
            case Op.Iota io -> {
                int[] od = dims(io.shape());
                int inner = 1;
                for (int k = io.axis() + 1; k < od.length; k++) inner *= od[k];
                double[] out = new double[count(od)];
                for (int k = 0; k < out.length; k++) out[k] = (k / inner) % od[io.axis()];
                yield out;
            }
            case Op.Unary u -> {
                double[] x = values.get(n.input(0)), out = new double[x.length];
                for (int k = 0; k < x.length; k++) out[k] = u.fn().reference(x[k]);
                yield out;
            }
            case Op.Binary b -> {
                double[] x = values.get(n.input(0)), y = values.get(n.input(1));
                int[] od = dims(n.shape()), xd = dims(n.input(0).shape()), yd = dims(n.input(1).shape());
                double[] out = new double[count(od)];
                int[] idx = new int[od.length];
                for (int k = 0; k < out.length; k++) {
                    unflatten(k, od, idx);
                    out[k] = b.fn().reference(x[broadcastIndex(idx, xd)], y[broadcastIndex(idx, yd)]);
                }
                yield out;
            }
            case Op.Where w -> {
                double[] c = values.get(n.input(0)), a = values.get(n.input(1)), e = values.get(n.input(2));
                int[] od = dims(n.shape()), cd = dims(n.input(0).shape()), ad = dims(n.input(1).shape()), ed = dims(n.input(2).shape());
                double[] out = new double[count(od)];
                int[] idx = new int[od.length];
                for (int k = 0; k < out.length; k++) {
                    unflatten(k, od, idx);
                    out[k] = c[broadcastIndex(idx, cd)] != 0 ? a[broadcastIndex(idx, ad)] : e[broadcastIndex(idx, ed)];
                }
                yield out;
            }
            case Op.Transpose t -> {
                double[] x = values.get(n.input(0));
                int[] od = dims(n.shape()), xd = dims(n.input(0).shape());
                double[] out = new double[count(od)];
                int[] idx = new int[od.length], src = new int[od.length];
                for (int k = 0; k < out.length; k++) {
                    unflatten(k, od, idx);
                    for (int a = 0; a < od.length; a++) src[t.perm().get(a)] = idx[a];
                    int flat = 0;
                    for (int a = 0; a < xd.length; a++) flat = flat * xd[a] + src[a];
                    out[k] = x[flat];
                }
                yield out;
            }
            case Op.Slice sl -> {
                double[] x = values.get(n.input(0));
                int[] od = dims(n.shape()), xd = dims(n.input(0).shape());
                double[] out = new double[count(od)];
                int[] idx = new int[od.length];
                for (int k = 0; k < out.length; k++) {
                    unflatten(k, od, idx);
                    int flat = 0;
                    for (int a = 0, o = 0; a < xd.length; a++)
                        flat = flat * xd[a] + (sl.whole(a) ? idx[o++] : sl.indexed(a) ? (int) (long) sl.start().get(a)
                                : (int) (sl.start().get(a) + idx[o++] * sl.step().get(a)));
                    out[k] = x[flat];
                }
                yield out;
            }
            case Op.Pad pd -> {
                double[] x = values.get(n.input(0));
                int[] od = dims(n.shape()), xd = dims(n.input(0).shape());
                double[] out = new double[count(od)];
                int[] idx = new int[od.length];
                for (int k = 0; k < out.length; k++) {
                    unflatten(k, od, idx);
                    int flat = 0;
                    boolean inside = true;
                    for (int a = 0; a < xd.length; a++) {
                        int j = idx[a] - (int) (long) pd.before().get(a);
                        inside &= j >= 0 && j < xd[a];
                        flat = flat * xd[a] + j;
                    }
                    out[k] = inside ? x[flat] : 0.0;
                }
                yield out;
            }
            case Op.Broadcast b -> {
                double[] x = values.get(n.input(0));
                int[] od = dims(n.shape()), xd = dims(n.input(0).shape());
                double[] out = new double[count(od)];
                int[] idx = new int[od.length];
                for (int k = 0; k < out.length; k++) {
                    unflatten(k, od, idx);
                    out[k] = x[broadcastIndex(idx, xd)];
                }
                yield out;
            }
            case Op.Reduce r -> reduce(r, values.get(n.input(0)), dims(n.input(0).shape()));
            case Op.MatMul m -> matmul(m, values.get(n.input(0)), dims(n.input(0).shape()), values.get(n.input(1)), dims(n.input(1).shape()));
            case Op.Reshape r -> values.get(n.input(0));
            case Op.OneHot h -> {
                Node src = n.input(0);
                if (!(src.op() instanceof Op.Input i)) throw new IllegalArgumentException("one_hot needs an i32 input, got " + src);
                int[] labels = ints.get(i.name());
                int rows = count(dims(src.shape()));
                double[] out = new double[rows * (int) h.classes()];
                for (int k = 0; k < rows; k++)
                    if (labels[k] >= 0 && labels[k] < h.classes()) out[k * (int) h.classes() + labels[k]] = 1;
                yield out;
            }
            // rows picked by index, and their adjoint
            case Op.Gather g -> F64Gather.gather(values.get(n.input(0)), (int) n.input(0).shape().dim(0).size(), (int) n.shape().last().size(), indexValues(n.input(1), ints));
            case Op.ScatterAdd s -> F64Gather.scatterAdd(values.get(n.input(0)), (int) n.shape().last().size(), indexValues(n.input(1), ints),
                    (int) s.rows());
            // convolution and pooling by direct loops
            case Op.Spatial s -> {
                SpatialChannels ch = SpatialChannels.of(n);
                yield F64Spatial.evaluate(s, dims(n.input(0).shape())[0], ch.c(), ch.oc(), values.get(n.input(0)),
                        n.inputs().size() > 1 ? values.get(n.input(1)) : null);
            }
        };
    }

    /** The values of an i32 input, as many as its shape has at this batch. */
    private int[] indexValues(Node src, Map<String, int[]> ints) {
        if (!(src.op() instanceof Op.Input i)) throw new IllegalArgumentException("gather and scatter_add need an i32 input, got " + src);
        int[] v = ints.get(i.name());
        if (v == null) throw new IllegalArgumentException("no value given for " + i.name());
        return Arrays.copyOf(v, count(dims(src.shape())));
    }

    private double[] leaf(Map<String, double[]> leaves, String name, Node n) {
        double[] v = leaves.get(name);
        if (v == null) throw new IllegalArgumentException("no value given for " + name);
        int need = count(dims(n.shape()));
        if (v.length < need) throw new IllegalArgumentException(name + " has " + v.length + " elements, needs " + need);
        return v;
    }

    private static double[] reduce(Op.Reduce r, double[] x, int[] xd) {
        int[] od = xd.clone();
        for (int axis : r.axes()) od[axis] = 1;
        double[] out = new double[count(od)];
        Arrays.fill(out, r.fn() == ReduceFn.SUM ? 0 : Double.NEGATIVE_INFINITY);
        int[] idx = new int[xd.length];
        for (int k = 0; k < x.length && k < count(xd); k++) {
            unflatten(k, xd, idx);
            int o = broadcastIndex(idx, od);
            out[o] = r.fn() == ReduceFn.SUM ? out[o] + x[k] : Math.max(out[o], x[k]);
        }
        return out;
    }

    /** op(A)·op(B) in double, for each of the matrices of a batched product ([b…, m, k] @ [b…, k, n]) in turn. */
    private static double[] matmul(Op.MatMul m, double[] a, int[] ad, double[] b, int[] bd) {
        int r = ad.length, batch = 1;
        for (int i = 0; i < r - 2; i++) batch *= ad[i];
        int rows = m.transA() ? ad[r - 1] : ad[r - 2], inner = m.transA() ? ad[r - 2] : ad[r - 1];
        int cols = m.transB() ? bd[r - 2] : bd[r - 1];
        double[] out = new double[batch * rows * cols];
        for (int p = 0; p < batch; p++) {
            int ao = p * rows * inner, bo = p * inner * cols, co = p * rows * cols;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) {
                    double s = 0;
                    for (int k = 0; k < inner; k++)
                        s += a[ao + (m.transA() ? k * rows + i : i * inner + k)] * b[bo + (m.transB() ? j * inner + k : k * cols + j)];
                    out[co + i * cols + j] = s;
                }
        }
        return out;
    }

    private int[] dims(Shape s) {
        int[] d = new int[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = s.dim(i).value(batch);
        return d;
    }

    private static int count(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    private static void unflatten(int flat, int[] dims, int[] idx) {
        for (int k = dims.length - 1; k >= 0; k--) {
            idx[k] = flat % dims[k];
            flat /= dims[k];
        }
    }

    /** The row-major index in a tensor of dims {@code in} (right-aligned, size-1 axes broadcast) read at {@code idx}. */
    private static int broadcastIndex(int[] idx, int[] in) {
        int flat = 0;
        for (int k = 0; k < in.length; k++) {
            int i = idx[k + idx.length - in.length];
            flat = flat * in[k] + (in[k] == 1 ? 0 : i);
        }
        return flat;
    }

    /** Names and element counts of the graph's f32 leaves at this batch, in first-use order. */
    public Map<String, Integer> leafSizes(Graph g) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            String name = switch (n.op()) {
                case Op.Input i -> n.type().dtype() == DType.F32 ? i.name() : null;
                case Op.Param p -> p.name();
                case Op.State s -> s.name();
                default -> null;
            };
            if (name != null) sizes.putIfAbsent(name, count(dims(n.shape())));
        }
        return sizes;
    }

}

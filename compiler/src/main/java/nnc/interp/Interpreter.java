package nnc.interp;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;

/**
 * Runs the Graph IR op by op, one buffer per value, calling the same runtime kernels as generated
 * code for matrix products. It is the oracle the emitters are tested against and the
 * "interpreted" side of every benchmark. Buffers are allocated once, for {@code maxBatch} rows.
 */
public final class Interpreter implements CompiledModel {
    private final IrModule module;
    private final ModelInfo info;
    private final int maxBatch;
    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();
    private final Map<Node, float[]> values = new IdentityHashMap<>();
    private final SpatialEvaluator spatial = new SpatialEvaluator();

    public Interpreter(IrModule module, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
        this.module = module;
        this.info = module.info();
        this.maxBatch = maxBatch;
        for (TensorSpec t : info.tensors()) {
            if (t.dtype() == DType.F32) floats.put(t.name(), new float[t.elementCount(maxBatch)]);
            else ints.put(t.name(), new int[t.elementCount(maxBatch)]);
        }
    }

    @Override public ModelInfo info() { return info; }

    @Override public int maxBatch() { return maxBatch; }

    @Override public float[] floats(String name) {
        float[] a = floats.get(name);
        if (a == null) throw new IllegalArgumentException("no f32 tensor " + name);
        return a;
    }

    @Override public int[] ints(String name) {
        int[] a = ints.get(name);
        if (a == null) throw new IllegalArgumentException("no i32 tensor " + name);
        return a;
    }

    @Override public void trainStep(int batch) { run(module.train(), batch); }

    @Override public void evaluate(int batch) { run(module.evaluate(), batch); }

    @Override public void predict(int batch) { run(module.predict(), batch); }

    private void run(Graph g, int batch) {
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch " + batch + " outside 1.." + maxBatch);
        OpEvaluator eval = new OpEvaluator(batch);
        for (Node n : g.nodes()) {
            if (n.op() instanceof Op.Input i && n.type().dtype() == DType.I32) continue;
            values.put(n, evaluate(n, eval));
        }
        g.outputs().forEach((name, n) -> copyOut(n, floats(name), eval));
        Map<String, float[]> pending = new HashMap<>();
        g.updates().forEach((name, n) -> pending.put(name, values.get(n).clone()));
        pending.forEach((name, v) -> System.arraycopy(v, 0, floats(name), 0, Math.min(v.length, floats(name).length)));
    }

    private void copyOut(Node n, float[] target, OpEvaluator eval) {
        float[] v = values.get(n);
        System.arraycopy(v, 0, target, 0, eval.numel(n.shape()));
    }

    private float[] evaluate(Node n, OpEvaluator eval) {
        return switch (n.op()) {
            case Op.Input i -> floats(i.name());
            case Op.Param p -> floats(p.name());
            case Op.State s -> floats(s.name());
            case Op.Constant c -> new float[] {(float) c.value()};
            case Op.DimSize d -> new float[] {eval.dimValue(d.symbol())};
            case Op.Iota io -> eval.iota(io.shape(), io.axis(), target(n, eval));
            case Op.Unary u -> eval.unary(u.fn(), in(n, 0), target(n, eval));
            case Op.Binary b -> eval.binary(b.fn(), in(n, 0), n.input(0).shape(), in(n, 1), n.input(1).shape(), n.shape(), target(n, eval));
            case Op.Where w -> eval.where(in(n, 0), n.input(0).shape(), in(n, 1), n.input(1).shape(), in(n, 2), n.input(2).shape(),
                    n.shape(), target(n, eval));
            case Op.Reduce r -> eval.reduce(r.fn(), in(n, 0), n.input(0).shape(), r.axes(), target(n, eval));
            case Op.MatMul m -> eval.matmul(m, in(n, 0), n.input(0).shape(), in(n, 1), n.input(1).shape(), target(n, eval));
            case Op.Broadcast b -> eval.broadcast(in(n, 0), n.input(0).shape(), n.shape(), target(n, eval));
            case Op.Reshape r -> in(n, 0);
            case Op.Transpose t -> eval.transpose(in(n, 0), n.input(0).shape(), t.perm(), target(n, eval));
            case Op.OneHot h -> eval.oneHot(indices(n.input(0)), n.input(0).shape(), (int) h.classes(), target(n, eval));
            // conv branch: convolution and pooling
            case Op.Spatial s -> spatial.evaluate(n, eval.dims(n.input(0).shape())[0], in(n, 0),
                    n.inputs().size() > 1 ? in(n, 1) : null, target(n, eval));
            // gather branch: the runtime's row gather and scatter-add
            case Op.Gather g -> eval.gather(in(n, 0), n.input(0).shape(), indices(n.input(1)), n.input(1).shape(), target(n, eval));
            case Op.ScatterAdd s -> eval.scatterAdd(in(n, 0), indices(n.input(1)), n.input(1).shape(), n.shape(), target(n, eval));
        };
    }

    private float[] in(Node n, int i) { return values.get(n.input(i)); }

    private int[] indices(Node leaf) {
        if (!(leaf.op() instanceof Op.Input i)) throw new IllegalStateException("one_hot, gather and scatter_add need an i32 input, got " + leaf);
        return ints(i.name());
    }

    /** This node's own buffer, sized for the maximum batch and reused across steps. */
    private float[] target(Node n, OpEvaluator eval) {
        float[] v = values.get(n);
        if (v == null || v.length < eval.numelMax(n.shape(), maxBatch)) v = new float[eval.numelMax(n.shape(), maxBatch)];
        return v;
    }
}

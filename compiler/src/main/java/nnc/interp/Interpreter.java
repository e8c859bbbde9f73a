package nnc.interp;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.ModelMemory;
import nnc.runtime.Numerics;
import nnc.runtime.TensorSpec;
import nnc.runtime.parallel.SplitEntries;
import nnc.runtime.train.NonFiniteValueException;

/**
 * Runs the Graph IR op by op, one buffer per value, calling the same runtime kernels as generated
 * code for matrix products. It is the oracle the emitters are tested against and the
 * "interpreted" side of every benchmark. Buffers are allocated once, for {@code maxBatch} rows.
 */
public final class Interpreter implements SplitEntries {
    private final IrModule module;
    private final ModelInfo info;
    private final int maxBatch;
    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();
    private final Map<Node, float[]> values = new IdentityHashMap<>();
    private final SpatialEvaluator spatial = new SpatialEvaluator();

    /** {@code --check-numerics=full}: each operation's result is checked for NaN and infinities. */
    private final boolean checks;

    public Interpreter(IrModule module, int maxBatch) {
        this(module, maxBatch, false);
    }

    /** With {@code checks}, every operation's result is checked, and the first NaN or infinity throws naming its {@code .nn} line. */
    public Interpreter(IrModule module, int maxBatch, boolean checks) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
        this.checks = checks;
        this.module = module;
        this.info = module.info();
        this.maxBatch = maxBatch;
        ModelMemory.check(info.name(), maxBatch, InterpreterMemory.arrays(module, maxBatch));
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

    /** @throws UnsupportedOperationException when the module has no data-parallel split ({@code Compilation.dataParallel} makes one) */
    @Override public void gradientEntry(int batch) { run(splitEntry(IrModule.GRADIENT), batch); }

    /** @throws UnsupportedOperationException when the module has no data-parallel split */
    @Override public void applyEntry(int batch) { run(splitEntry(IrModule.APPLY), batch); }

    private Graph splitEntry(String name) {
        for (Graph g : module.split()) if (g.name().equals(name)) return g;
        throw new UnsupportedOperationException("model " + info.name() + " has no " + name + " entry");
    }

    private void run(Graph g, int batch) {
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch " + batch + " outside 1.." + maxBatch);
        OpEvaluator eval = new OpEvaluator(batch);
        loopsRun.clear();
        for (Node n : g.nodes()) {
            if (n.op() instanceof Op.Input i && n.type().dtype() == DType.I32) continue;
            values.put(n, evaluate(n, eval));
            if (checks && !n.isLeaf()) check(n, eval);
        }
        g.outputs().forEach((name, n) -> copyOut(n, floats(name), eval));
        Map<String, float[]> pending = new HashMap<>();
        g.updates().forEach((name, n) -> pending.put(name, values.get(n).clone()));
        pending.forEach((name, v) -> System.arraycopy(v, 0, floats(name), 0, Math.min(v.length, floats(name).length)));
    }

    /** Full mode: throws when the value of {@code n} holds NaN or an infinity, naming its line, its binding and the element. */
    private void check(Node n, OpEvaluator eval) {
        float[] v = values.get(n);
        int count = Math.min(v.length, eval.numel(n.shape()));
        for (int k = 0; k < count; k++) {
            if (Float.isFinite(v[k])) continue;
            int line = module.source().lineOf(n);
            String file = module.source().file().isEmpty() ? module.name() + ".nn" : module.source().file();
            String label = module.labels().get(n);
            throw new NonFiniteValueException((line > 0 ? file + ":" + line + ": " : "") + "operation "
                    + n.op().mnemonic() + (label == null ? "" : " (of " + label + ")") + " produced " + v[k]
                    + " at " + Numerics.index(k, eval.dims(n.shape()), 1));
        }
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
            case Op.Slice sl -> eval.slice(in(n, 0), n.input(0).shape(), sl, n.shape(), target(n, eval));
            case Op.Pad pd -> eval.pad(in(n, 0), n.input(0).shape(), pd, n.shape(), target(n, eval));
            case Op.OneHot h -> eval.oneHot(indices(n.input(0)), n.input(0).shape(), (int) h.classes(), target(n, eval));
            // convolution and pooling
            case Op.Spatial s -> spatial.evaluate(n, eval.dims(n.input(0).shape())[0], in(n, 0),
                    n.inputs().size() > 1 ? in(n, 1) : null, target(n, eval));
            case Op.LoopVar v -> throw new IllegalStateException("loop variable outside its loop: " + n);
            case Op.Scan s -> scan(n, s, eval);
            // the runtime's row gather and scatter-add
            case Op.Gather g -> eval.gather(in(n, 0), n.input(0).shape(), indices(n.input(1)), n.input(1).shape(), target(n, eval));
            case Op.ScatterAdd s -> eval.scatterAdd(in(n, 0), indices(n.input(1)), n.input(1).shape(), n.shape(), target(n, eval));
        };
    }

    private float[] in(Node n, int i) { return values.get(n.input(i)); }

    /** Each loop's output buffers (reused across steps), and the loops run in the current step. */
    private final Map<ScanBody, float[][]> loopOutputs = new IdentityHashMap<>();
    /** Each loop's next-carry buffers, reused across steps. */
    private final Map<ScanBody, float[][]> loopNext = new IdentityHashMap<>();
    private final Set<ScanBody> loopsRun = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Output {@code s.output()} of the loop of {@code n}, running the loop once per step for all its outputs. */
    private float[] scan(Node n, Op.Scan s, OpEvaluator eval) {
        ScanBody body = s.body();
        float[][] outs = loopOutputs.computeIfAbsent(body, b -> {
            float[][] o = new float[b.outputCount()][];
            for (int k = 0; k < o.length; k++) o[k] = new float[eval.numelMax(b.outputType(k).shape(), maxBatch)];
            return o;
        });
        if (loopsRun.add(body)) runLoop(n, body, eval, outs);
        return outs[s.output()];
    }

    /** The loop step by step, the body's nodes evaluated op by op (see {@link nnc.ir.ScanBody}). */
    private void runLoop(Node n, ScanBody body, OpEvaluator eval, float[][] outs) {
        int c = body.carries().size(), q = body.slices().size(), steps = body.length();
        for (int i = 0; i < c; i++) {
            Node carryVar = body.carries().get(i);
            float[] carry = target(carryVar, eval);
            System.arraycopy(in(n, i), 0, carry, 0, eval.numel(carryVar.shape()));
            values.put(carryVar, carry);
        }
        for (int j = 0; j < q; j++) values.put(body.slices().get(j), target(body.slices().get(j), eval));
        List<Node> nodes = body.nodes();
        for (Node x : nodes)
            for (Node input : x.inputs()) if (!values.containsKey(input)) values.put(input, evaluate(input, eval)); // immediates
        float[][] next = loopNext.computeIfAbsent(body, b -> {
            float[][] n2 = new float[b.carries().size()][];
            for (int i = 0; i < n2.length; i++) n2[i] = new float[eval.numelMax(b.carries().get(i).shape(), maxBatch)];
            return n2;
        });
        for (int s = 0; s < steps; s++) {
            int t = body.reverse() ? steps - 1 - s : s;
            for (int j = 0; j < q; j++) {
                Node slice = body.slices().get(j);
                int len = eval.numel(slice.shape());
                System.arraycopy(in(n, c + j), t * len, values.get(slice), 0, len);
            }
            for (Node x : nodes) if (!(x.op() instanceof Op.LoopVar)) values.put(x, evaluate(x, eval));
            for (int k = 0; k < body.stepResults().size(); k++) {
                Node r = body.stepResults().get(k);
                int len = eval.numel(r.shape());
                System.arraycopy(resultValue(r, eval), 0, outs[c + k], t * len, len);
            }
            for (int i = 0; i < c; i++) { // via a copy: a result may be another carry
                System.arraycopy(resultValue(body.carryResults().get(i), eval), 0, next[i], 0, eval.numel(body.carries().get(i).shape()));
            }
            for (int i = 0; i < c; i++) System.arraycopy(next[i], 0, values.get(body.carries().get(i)), 0, eval.numel(body.carries().get(i).shape()));
        }
        for (int i = 0; i < c; i++) {
            Node carryVar = body.carries().get(i);
            System.arraycopy(values.get(carryVar), 0, outs[i], 0, eval.numel(carryVar.shape()));
        }
    }

    private float[] resultValue(Node r, OpEvaluator eval) {
        float[] v = values.get(r);
        if (v == null) values.put(r, v = evaluate(r, eval));
        return v;
    }

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

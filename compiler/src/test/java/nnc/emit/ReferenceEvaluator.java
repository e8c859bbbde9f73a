package nnc.emit;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import nnc.ir.ReduceFn;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.kernels.BlockedSums;
import nnc.runtime.kernels.Gemm;
import nnc.runtime.kernels.SpatialCalls;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * Runs Kernel IR the plain way, straight from the spec in {@link KExpr} and {@link Kernel}: every
 * domain point in row-major order, every expression evaluated recursively. Shares no code with the
 * emitters' planning, so agreement with it is evidence that both are right.
 */
final class ReferenceEvaluator {
    private final float[][] f;
    private final int[][] i;
    private final int batch;
    private final boolean simd;

    private ReferenceEvaluator(float[][] f, int[][] i, int batch, boolean simd) {
        this.f = f;
        this.i = i;
        this.batch = batch;
        this.simd = simd;
    }

    /** Runs entry {@code entry} of {@code p} on buffers {@code f} / {@code i} (indexed by buffer id), scalar order. */
    static void run(KernelProgram p, String entry, float[][] f, int[][] i, int batch) {
        run(p, entry, f, i, batch, false);
    }

    /**
     * As {@link #run(KernelProgram, String, float[][], int[][], int)}; with {@code simd}, reductions the
     * emitters vectorise with lane accumulators fold in {@link VectorPlan}'s documented order (the
     * plan only says which domain axes form the innermost loop; the arithmetic is done here).
     */
    static void run(KernelProgram p, String entry, float[][] f, int[][] i, int batch, boolean simd) {
        ReferenceEvaluator r = new ReferenceEvaluator(f, i, batch, simd);
        for (Kernel k : p.entry(entry).kernels()) r.run(k);
    }

    private void run(Kernel k) {
        if (k instanceof Kernel.Pointwise p && isEmpty(dims(p.domain()))) return;
        switch (k) {
            case Kernel.Pointwise p -> {
                int[] dims = dims(p.domain());
                float[] out = f[p.out().id()];
                int[] idx = new int[dims.length];
                int flat = 0;
                do out[flat++] = eval(p.value(), idx); while (next(idx, dims));
            }
            case Kernel.Reduce r -> {
                for (Kernel.Pointwise part : r.prologue()) run(part); // the value reads it only at the same point
                int[] dims = dims(r.domain());
                Shape outShape = r.domain().without(r.axes());
                int[] outStrides = new int[dims.length];
                List<Size> kept = outShape.strides();
                for (int a = 0, pos = 0; a < dims.length; a++) outStrides[a] = r.axes().contains(a) ? 0 : size(kept.get(pos++));
                float[] out = f[r.out().id()];
                Arrays.fill(out, 0, size(outShape.numel()), r.fn() == ReduceFn.SUM ? 0f : Float.NEGATIVE_INFINITY);
                int[] idx = new int[dims.length];
                if (isEmpty(dims)) return;
                Optional<BlockedSum> blocked = BlockedSum.of(r, LoopNest.of(r));
                if (blocked.isPresent()) { // rows in blocks: each block's sum from 0, then added to the output
                    float[] part = new float[out.length];
                    int currentBlock = -1;
                    do {
                        int row = 0;
                        for (int a : blocked.get().rows().axes()) row = row * dims[a] + idx[a];
                        if (row / BlockedSums.BLOCK != currentBlock) {
                            if (currentBlock >= 0) BlockedSums.addInto(out, part, size(outShape.numel()));
                            Arrays.fill(part, 0f);
                            currentBlock = row / BlockedSums.BLOCK;
                        }
                        int o = 0;
                        for (int a = 0; a < dims.length; a++) o += idx[a] * outStrides[a];
                        part[o] += eval(r.value(), idx);
                    } while (next(idx, dims));
                    BlockedSums.addInto(out, part, size(outShape.numel()));
                    return;
                }
                List<Integer> laneAxes = simd ? VectorPlan.of(r, LoopNest.of(r))
                        .filter(pl -> pl.kind() == VectorPlan.Kind.LANE_ACCUMULATOR)
                        .map(pl -> pl.inner().axes()).orElse(List.of()) : List.of();
                int runLength = 1;
                for (int a : laneAxes) runLength *= dims[a];
                int bound = runLength - runLength % VectorPlan.LANES;
                float[] lanes = new float[VectorPlan.LANES];
                do {
                    int o = 0;
                    for (int a = 0; a < dims.length; a++) o += idx[a] * outStrides[a];
                    float v = eval(r.value(), idx);
                    if (laneAxes.isEmpty()) {
                        out[o] = fold(r.fn(), out[o], v);
                        continue;
                    }
                    int pos = 0;
                    for (int a : laneAxes) pos = pos * dims[a] + idx[a];
                    if (pos == 0) Arrays.fill(lanes, r.fn() == ReduceFn.SUM ? 0f : Float.NEGATIVE_INFINITY);
                    if (pos == bound) out[o] = fold(r.fn(), out[o], tree(r.fn(), lanes));
                    if (pos < bound) lanes[pos % VectorPlan.LANES] = fold(r.fn(), lanes[pos % VectorPlan.LANES], v);
                    else out[o] = fold(r.fn(), out[o], v);
                    if (pos == runLength - 1 && bound == runLength) out[o] = fold(r.fn(), out[o], tree(r.fn(), lanes));
                } while (next(idx, dims));
            }
            case Kernel.MatMul m -> Gemm.matmul(m.transA(), m.transB(), size(m.m().asSize()), size(m.n().asSize()),
                    size(m.k().asSize()), f[m.a().id()], 0, f[m.b().id()], 0, f[m.out().id()], 0);
            case Kernel.Call c -> call(c);
            case Kernel.Fused f -> { for (Kernel.Pointwise part : f.parts()) run(part); } // the parts meet only at the same point
            case Kernel.WithEpilogue w -> { // the head, then the stages (each reads the one before only at the same point)
                run(w.head());
                for (Kernel stage : w.stages()) run(stage);
            }
            case Kernel.Loop l -> {
                for (int s = 0; s < l.steps(); s++) {
                    step = l.reverse() ? l.steps() - 1 - s : s;
                    for (Kernel b : l.body()) run(b);
                }
            }
            case Kernel.StepCopy c -> {
                int len = size(c.length());
                System.arraycopy(f[c.from().id()], c.fromStepped() ? step * len : 0, f[c.to().id()], c.toStepped() ? step * len : 0, len);
            }
            case Kernel.ScatterAdd s -> { // written out here rather than borrowed from the runtime
                float[] out = f[s.out().id()], values = f[s.values().id()];
                int[] rows = i[s.indices().id()];
                Arrays.fill(out, 0, s.rows() * s.cols(), 0f);
                for (int p = 0; p < size(s.positions()); p++)
                    for (int j = 0; j < s.cols(); j++) out[Objects.checkIndex(rows[p], s.rows()) * s.cols() + j] += values[p * s.cols() + j];
            }
        }
    }

    /** The step of the loop running now. */
    private int step;

    /** The routine the call names, looked up by name. */
    private void call(Kernel.Call c) {
        int[] sizes = c.sizes();
        int count = 5 + sizes.length;
        Object[] args = new Object[count];
        for (int a = 0; a < 4; a++) args[a] = c.arrays().get(a) == null ? null : f[c.arrays().get(a).id()];
        args[4] = size(c.n().asSize());
        for (int a = 0; a < sizes.length; a++) args[5 + a] = sizes[a];
        Class<?>[] types = new Class<?>[count];
        Arrays.fill(types, 0, 4, float[].class);
        Arrays.fill(types, 4, count, int.class);
        try {
            SpatialCalls.class.getMethod(c.fn().routine(), types).invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float fold(ReduceFn fn, float acc, float v) {
        return fn == ReduceFn.SUM ? acc + v : Math.max(acc, v);
    }

    /** ((L0⊕L4)⊕(L2⊕L6))⊕((L1⊕L5)⊕(L3⊕L7)), written out here rather than borrowed from the runtime. */
    private static float tree(ReduceFn fn, float[] l) {
        return fold(fn, fold(fn, fold(fn, l[0], l[4]), fold(fn, l[2], l[6])), fold(fn, fold(fn, l[1], l[5]), fold(fn, l[3], l[7])));
    }

    private float eval(KExpr e, int[] idx) {
        return switch (e) {
            case KExpr.Load l -> f[l.buffer().id()][offset(l, idx)];
            case KExpr.Const c -> c.value();
            case KExpr.DimSize d -> (float) batch;
            case KExpr.Index i -> (float) idx[i.axis()];
            // each function's f32 semantics, as KExpr specifies them (its runtime method's bits: ElementwiseFactsTest)
            case KExpr.Unary u -> u.fn().apply(eval(u.x(), idx));
            case KExpr.Binary b -> {
                float x = eval(b.a(), idx);
                yield b.fn().apply(x, eval(b.b(), idx));
            }
            case KExpr.Select s -> eval(s.cond(), idx) != 0f ? eval(s.a(), idx) : eval(s.b(), idx);
            case KExpr.OneHot h -> i[h.indices().buffer().id()][offset(h.indices(), idx)] == idx[h.axis()] ? 1f : 0f;
            case KExpr.Gather g -> f[g.table().buffer().id()][Objects.checkIndex(i[g.indices().buffer().id()][offset(g.indices(), idx)],
                    g.rows()) * g.rowStride() + offset(g.table(), idx)];
        };
    }

    private int offset(KExpr.Load l, int[] idx) {
        int o = 0;
        for (int a = 0; a < idx.length; a++) o += idx[a] * size(l.strides().get(a));
        return o;
    }

    private int[] dims(Shape s) {
        int[] d = new int[s.rank()];
        for (int a = 0; a < d.length; a++) d[a] = size(s.dim(a).asSize());
        return d;
    }

    private int size(Size s) { return Math.toIntExact(s.eval(sym -> batch)); }

    /** Advances a row-major multi-index; false after the last point (and for an empty domain). */
    private static boolean next(int[] idx, int[] dims) {
        for (int a = dims.length - 1; a >= 0; a--) {
            if (++idx[a] < dims[a]) return true;
            idx[a] = 0;
        }
        return false;
    }

    private static boolean isEmpty(int[] dims) {
        for (int d : dims) if (d == 0) return true;
        return false;
    }
}

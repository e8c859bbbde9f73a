package nnc.emit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import nnc.kir.Kernel;
import nnc.types.Dim;

/**
 * What the method of each kind of kernel consists of, decided once for both emitters: loop stages
 * (pointwise, fused, reduce kernels, single matrix products, and a head with its epilogue), each in a
 * scalar and, where a {@link VectorPlan} allows, a vector form; library calls; scatter-adds; and loops
 * of step copies and body calls. An emitter supplies a {@link KernelWriter}: how to write each
 * statement. A new kind of kernel is a compile error in the two switches here.
 */
public final class KernelDispatch {
    /** One loop nest or call of a method, with its vector plan in SIMD mode (null: scalar only). */
    private sealed interface MethodStage {
        VectorPlan plan();
    }

    private record PointwiseStage(List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) implements MethodStage {}

    private record ReduceStage(Kernel.Reduce kernel, LoopNest nest, VectorPlan plan) implements MethodStage {}

    private record MatMulStage(Kernel.MatMul kernel, IntExpr rows, IntExpr cols, IntExpr depth) implements MethodStage {
        @Override public VectorPlan plan() { return null; }
    }

    /** Writes sizes nowhere: running the dispatch with it checks that every size can be written. */
    private static final KernelWriter SIZES_ONLY = new KernelWriter() {
        @Override public void pointwise(List<Kernel.Pointwise> parts, LoopNest nest) {}
        @Override public void vectorPointwise(List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) {}
        @Override public void reduce(Kernel.Reduce r, LoopNest nest) {}
        @Override public void vectorReduce(Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes) {}
        @Override public void matmul(Kernel.MatMul m, IntExpr rows, IntExpr cols, IntExpr depth) {}
        @Override public void batchedMatmul(Kernel.MatMul m, IntExpr count, IntExpr rows, IntExpr cols, IntExpr depth) {}
        @Override public void libraryCall(Kernel.Call c, IntExpr n) {}
        @Override public void scatterAdd(Kernel.ScatterAdd s, IntExpr positions) {}
        @Override public void beginLoop(Kernel.Loop l) {}
        @Override public void stepCopy(Kernel.StepCopy c, IntExpr length) {}
        @Override public void callBody(KernelMethod body) {}
        @Override public void endLoop() {}
        @Override public void warmUpWithScalarLoops(IntExpr extent, Runnable scalarLoops) {}
        @Override public void vectorMethod(Consumer<KernelWriter> stages) { stages.accept(this); }
    };

    private KernelDispatch() {}

    /** Writes the body of {@code km}'s method with {@code w}; with {@code simd}, vector loops where a plan allows. */
    public static void write(KernelMethod km, boolean simd, KernelWriter w) {
        switch (km.kernel()) {
            case Kernel.MatMul m when m.isBatched() -> w.batchedMatmul(m, size(m.batch()), size(m.m()), size(m.n()), size(m.k()));
            case Kernel.Pointwise p -> writeStages(stages(p, simd), w);
            case Kernel.Fused f -> writeStages(stages(f, simd), w);
            case Kernel.Reduce r -> writeStages(stages(r, simd), w);
            case Kernel.MatMul m -> writeStages(stages(m, simd), w);
            case Kernel.WithEpilogue e -> writeStages(stages(e, simd), w);
            case Kernel.Call c -> w.libraryCall(c, size(c.n()));
            case Kernel.ScatterAdd s -> w.scatterAdd(s, IntExpr.of(s.positions()));
            case Kernel.Loop l -> {
                w.beginLoop(l);
                for (KernelMethod body : km.body()) {
                    if (body.kernel() instanceof Kernel.StepCopy c) w.stepCopy(c, IntExpr.of(c.length()));
                    else w.callBody(body);
                }
                w.endLoop();
            }
            case Kernel.StepCopy c -> throw new IllegalArgumentException("a step copy is written inside its loop's method");
        }
    }

    /**
     * Checks that every loop nest and size of {@code km} can be written (only {@code batch} as a
     * symbol), so that an unsupported program fails when planned, not in javac or the JVM.
     *
     * @throws IllegalArgumentException when it cannot
     */
    static void checkSizes(KernelMethod km) {
        if (!(km.kernel() instanceof Kernel.StepCopy c)) write(km, false, SIZES_ONLY);
        else IntExpr.of(c.length());
    }

    /**
     * The vector plan that makes {@code k}'s method warm up with scalar loops in SIMD mode: its first
     * stage's that has one (a head's, else its epilogue's); empty for kernels without loop stages.
     */
    static Optional<VectorPlan> vectorPlan(Kernel k) {
        return stages(k, true).stream().map(MethodStage::plan).filter(p -> p != null).findFirst();
    }

    /** The loop stages of {@code k}, in order; empty for kernels written whole (library calls, loops, scatter-adds, batched products). */
    private static List<MethodStage> stages(Kernel k, boolean simd) {
        return switch (k) {
            case Kernel.Pointwise p -> List.of(pointwise(List.of(p), simd));
            case Kernel.Fused f -> List.of(pointwise(f.parts(), simd));
            case Kernel.Reduce r -> {
                LoopNest nest = LoopNest.of(r);
                yield List.of(new ReduceStage(r, nest, simd ? VectorPlan.of(r, nest).orElse(null) : null));
            }
            case Kernel.MatMul m -> m.isBatched() ? List.of() : List.of(new MatMulStage(m, size(m.m()), size(m.n()), size(m.k())));
            case Kernel.WithEpilogue e -> {
                List<MethodStage> out = new ArrayList<>(stages(e.head(), simd));
                for (Kernel s : e.stages()) out.addAll(stages(s, simd));
                yield out;
            }
            case Kernel.Call c -> List.of();
            case Kernel.ScatterAdd s -> List.of();
            case Kernel.Loop l -> List.of();
            case Kernel.StepCopy c -> List.of();
        };
    }

    /** Pointwise kernels over one domain in one nest (one kernel, a fused kernel's parts, or an epilogue stage). */
    private static MethodStage pointwise(List<Kernel.Pointwise> parts, boolean simd) {
        LoopNest nest = LoopNest.of(parts);
        return new PointwiseStage(parts, nest, simd ? VectorPlan.of(parts, nest).orElse(null) : null);
    }

    /**
     * The stages one after another: with a vector plan among them, the warm-up test first (given the
     * first plan's extent and the scalar forms of every stage, which give the same bits), then every
     * stage's vector form in a method of the class's {@code Simd} holder; else the scalar forms.
     */
    private static void writeStages(List<MethodStage> stages, KernelWriter w) {
        VectorPlan first = stages.stream().map(MethodStage::plan).filter(p -> p != null).findFirst().orElse(null);
        if (first == null) {
            for (MethodStage s : stages) writeScalar(s, w);
            return;
        }
        w.warmUpWithScalarLoops(first.inner().extent(), () -> stages.forEach(s -> writeScalar(s, w)));
        w.vectorMethod(v -> stages.forEach(s -> writeVector(s, v)));
    }

    private static void writeScalar(MethodStage stage, KernelWriter w) {
        if (stage instanceof PointwiseStage p) {
            w.pointwise(p.parts(), p.nest());
        } else if (stage instanceof ReduceStage r) {
            if (r.plan() == null || r.plan().kind() == VectorPlan.Kind.FOLD_IN_PLACE) w.reduce(r.kernel(), r.nest());
            else w.vectorReduce(r.kernel(), r.nest(), r.plan(), true);
        } else if (stage instanceof MatMulStage m) {
            w.matmul(m.kernel(), m.rows(), m.cols(), m.depth());
        } else throw new IllegalStateException("unexpected " + stage.getClass().getSimpleName());
    }

    private static void writeVector(MethodStage stage, KernelWriter w) {
        if (stage instanceof PointwiseStage p) {
            if (p.plan() == null) w.pointwise(p.parts(), p.nest());
            else w.vectorPointwise(p.parts(), p.nest(), p.plan());
        } else if (stage instanceof ReduceStage r) {
            if (r.plan() == null) w.reduce(r.kernel(), r.nest());
            else w.vectorReduce(r.kernel(), r.nest(), r.plan(), false);
        } else if (stage instanceof MatMulStage m) {
            w.matmul(m.kernel(), m.rows(), m.cols(), m.depth());
        } else throw new IllegalStateException("unexpected " + stage.getClass().getSimpleName());
    }

    private static IntExpr size(Dim d) { return IntExpr.of(d.asSize()); }
}

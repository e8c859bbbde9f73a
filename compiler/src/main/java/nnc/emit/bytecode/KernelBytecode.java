package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayDeque;
import java.util.Deque;
import nnc.emit.IntExpr;
import nnc.emit.KernelMethod;
import nnc.emit.LoopNest;
import nnc.emit.Stage;
import nnc.emit.VectorPlan;
import nnc.runtime.kernels.VectorWarmup;
import java.util.Optional;
import nnc.ir.ReduceFn;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.runtime.DType;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes one kernel as a {@code private static} method, following its {@link LoopNest} exactly as
 * {@code nnc.emit.java.KernelSource} does in source form.
 */
final class KernelBytecode {
    private record OpenLoop(int slot, Label condition, Label end) {}

    private final MethodVisitor mv;
    private final Locals locals = new Locals();
    private final ExprBytecode expr;
    private final Deque<OpenLoop> open = new ArrayDeque<>();

    private final VectorBytecode vector;

    private KernelBytecode(MethodVisitor mv, String self) {
        this.mv = mv;
        this.expr = new ExprBytecode(mv, locals);
        this.vector = new VectorBytecode(mv, locals, expr, self);
    }

    /** The method descriptor: one array per buffer parameter, then {@code int batch}. */
    static String descriptor(KernelMethod km) {
        if (km.takesTables()) return "([[F[[II)V";
        StringBuilder d = new StringBuilder("(");
        for (Buffer b : km.params()) d.append(b.dtype() == DType.F32 ? "[F" : "[I");
        return d.append("I)V").toString();
    }

    /**
     * A {@code LineNumberTable} entry: the code from here on comes from {@code .nn} line {@code line}
     * (nothing when 0), so stack traces and profilers show the model's source.
     */
    static void line(MethodVisitor mv, int line) {
        if (line <= 0) return;
        Label here = new Label();
        mv.visitLabel(here);
        mv.visitLineNumber(line, here);
    }

    /** Writes {@code km} into class {@code self}; with {@code simd}, as vector loops where its {@link VectorPlan} allows. */
    static void write(ClassVisitor cv, KernelMethod km, boolean simd, String self, int line) {
        MethodVisitor mv = cv.visitMethod(ACC_PRIVATE | ACC_STATIC, km.name(), descriptor(km), null, null);
        if (km.takesTables()) {
            mv.visitParameter("f", 0);
            mv.visitParameter("i", 0);
        } else {
            for (Buffer b : km.params()) mv.visitParameter(b.var(), 0);
        }
        mv.visitParameter("batch", 0);
        mv.visitCode();
        line(mv, line);
        KernelBytecode w = new KernelBytecode(mv, self);
        if (km.takesTables()) { // as the source emitter: float[] b12 = f[12]; … after the parameters
            int f = w.locals.declare("f"), i = w.locals.declare("i");
            w.locals.declare("batch");
            for (Buffer b : km.params()) {
                mv.visitVarInsn(ALOAD, b.dtype() == DType.F32 ? f : i);
                w.expr.pushInt(b.id());
                mv.visitInsn(AALOAD);
                mv.visitVarInsn(ASTORE, w.locals.declare(b.var()));
            }
        } else {
            for (Buffer b : km.params()) w.locals.declare(b.var());
            w.locals.declare("batch");
        }
        switch (km.kernel()) {
            case Kernel.MatMul m when m.isBatched() -> w.batchedMatmul(m);
            case Kernel.WithEpilogue e -> w.stages(km.name(), self, java.util.stream.Stream.concat(java.util.stream.Stream.of(e.head()), e.stages().stream())
                    .map(s -> w.stage(s, simd)).toList());
            case Kernel.Pointwise p -> w.stages(km.name(), self, java.util.List.of(w.stage(p, simd)));
            case Kernel.Fused f -> w.stages(km.name(), self, java.util.List.of(w.stage(f, simd)));
            case Kernel.Reduce r -> w.stages(km.name(), self, java.util.List.of(w.stage(r, simd)));
            case Kernel.MatMul m -> w.stages(km.name(), self, java.util.List.of(w.stage(m, simd)));
            case Kernel.Call c -> w.call(c); // conv branch
            case Kernel.Loop l -> w.loop(l, km.body(), self);
            case Kernel.StepCopy c -> throw new IllegalArgumentException("a step copy is written inside its loop's method");
            case Kernel.ScatterAdd s -> w.scatterAdd(s); // gather branch
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** As the source emitter: the stages in one method ({@link Stage#emit}), under the warm-up test when one has a vector plan. */
    private void stages(String name, String self, java.util.List<Stage> stages) {
        Stage.emit(stages, (extent, scalar) -> warmUpWithScalarLoops(name, self, extent, scalar));
    }

    private Stage stage(Kernel k, boolean simd) {
        return switch (k) {
            case Kernel.Pointwise p -> pointwiseStage(java.util.List.of(p), simd);
            case Kernel.Fused f -> pointwiseStage(f.parts(), simd);
            case Kernel.Reduce r -> {
                LoopNest nest = LoopNest.of(r);
                Optional<VectorPlan> plan = simd ? VectorPlan.of(r, nest) : Optional.empty();
                if (plan.isEmpty()) yield Stage.scalarOnly(() -> reduce(r, nest));
                VectorPlan vp = plan.get();
                yield new Stage(vp.inner().extent(), vp.kind() == VectorPlan.Kind.FOLD_IN_PLACE
                        ? () -> reduce(r, nest)
                        : () -> vectorReduce(r, nest, vp, true), () -> vectorReduce(r, nest, vp, false));
            }
            case Kernel.MatMul m when !m.isBatched() -> Stage.scalarOnly(() -> matmul(m));
            default -> throw new IllegalArgumentException("not a stage of a method: " + k);
        };
    }

    /** As the source emitter: pointwise kernels over one domain in one nest (one kernel, a fused kernel's parts, or an epilogue). */
    private Stage pointwiseStage(java.util.List<Kernel.Pointwise> parts, boolean simd) {
        LoopNest nest = LoopNest.of(parts);
        Optional<VectorPlan> plan = simd ? VectorPlan.of(parts, nest) : Optional.empty();
        if (plan.isEmpty()) return Stage.scalarOnly(() -> pointwise(parts, nest));
        return new Stage(plan.get().inner().extent(), () -> pointwise(parts, nest), () -> vectorPointwise(parts, nest, plan.get()));
    }

    private void pointwise(java.util.List<Kernel.Pointwise> parts, LoopNest nest) {
        int depth = nest.loops().size();
        openLoops(nest, 0, depth);
        for (Kernel.Pointwise p : parts) {
            mv.visitVarInsn(ALOAD, locals.slot(p.out().var()));
            expr.push(nest.outOffset());
            expr.push(p.value(), nest);
            mv.visitInsn(FASTORE);
        }
        closeLoops(depth);
    }

    private void reduce(Kernel.Reduce r, LoopNest nest) {
        int out = locals.slot(r.out().var());
        float identity = r.fn() == ReduceFn.SUM ? 0f : Float.NEGATIVE_INFINITY;
        int depth = nest.loops().size();
        if (nest.accumulatesIntoOut()) fill(out, nest, identity);
        if (nest.foldsInPlace()) {
            openLoops(nest, 0, depth);
            foldIntoOut(r, nest, out);
            closeLoops(depth);
            return;
        }
        int acc = startAccumulator(nest, out, identity);
        openLoops(nest, nest.accDepth(), depth);
        mv.visitVarInsn(FLOAD, acc);
        expr.push(r.value(), nest);
        fold(r.fn());
        mv.visitVarInsn(FSTORE, acc);
        closeLoops(depth - nest.accDepth());
        mv.visitVarInsn(ALOAD, out);
        expr.push(nest.outOffset());
        mv.visitVarInsn(FLOAD, acc);
        mv.visitInsn(FASTORE);
        closeLoops(nest.accDepth());
    }

    /**
     * the source emitter's branch-free warm-up test (see {@code KernelSource.warmUpWithScalarLoops}), as the source emitter writes it.
     */
    private void warmUpWithScalarLoops(String name, String self, IntExpr extent, Runnable scalar) {
        Label vector = new Label();
        int calls = locals.declareOrGet("nncCalls"), warm = locals.declareOrGet("nncWarm");
        mv.visitFieldInsn(GETSTATIC, self, name + "Calls", "I");
        mv.visitVarInsn(ISTORE, calls);
        mv.visitVarInsn(ILOAD, calls); // warm = (calls - scalarCalls) >>> 31
        mv.visitFieldInsn(GETSTATIC, "nnc/runtime/kernels/VectorWarmup", "scalarCalls", "I");
        mv.visitInsn(ISUB);
        signBit();
        mv.visitVarInsn(ISTORE, warm);
        mv.visitVarInsn(ILOAD, calls); // NAMECalls = calls += warm
        mv.visitVarInsn(ILOAD, warm);
        mv.visitInsn(IADD);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, calls);
        mv.visitFieldInsn(PUTSTATIC, self, name + "Calls", "I");
        expr.push(extent); // (E - MIN_LENGTH) >>> 31
        expr.pushInt(VectorWarmup.MIN_LENGTH);
        mv.visitInsn(ISUB);
        signBit();
        mv.visitVarInsn(ILOAD, warm); // | warm & (((calls & PROBE_MASK) - 1) >>> 31 ^ 1)
        mv.visitVarInsn(ILOAD, calls);
        expr.pushInt(VectorWarmup.PROBE_MASK);
        mv.visitInsn(IAND);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(ISUB);
        signBit();
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IXOR);
        mv.visitInsn(IAND);
        mv.visitInsn(IOR);
        mv.visitJumpInsn(IFEQ, vector);
        scalar.run();
        mv.visitInsn(RETURN);
        mv.visitLabel(vector);
    }

    /** {@code v >>> 31}: 1 when the int on the stack is negative, else 0. */
    private void signBit() {
        expr.pushInt(31);
        mv.visitInsn(IUSHR);
    }

    private void vectorPointwise(java.util.List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) {
        int outer = nest.loops().size() - 1;
        openLoops(nest, 0, outer);
        inner(nest, plan, VectorPlan.LANES, () -> {
            for (Kernel.Pointwise p : parts) {
                vector.push(p.value(), plan, nest);
                vector.store(p.out().var(), nest.outOffset());
            }
        }, null, () -> {
            for (Kernel.Pointwise p : parts) {
                mv.visitVarInsn(ALOAD, locals.slot(p.out().var()));
                expr.push(nest.outOffset());
                expr.push(p.value(), nest);
                mv.visitInsn(FASTORE);
            }
        });
        closeLoops(outer);
    }

    /** The prologue's parts stored at the current point, then {@code out[o] = fold(out[o], value)}. */
    private void foldIntoOut(Kernel.Reduce r, LoopNest nest, int out) {
        for (Kernel.Pointwise p : r.prologue()) {
            mv.visitVarInsn(ALOAD, locals.slot(p.out().var()));
            expr.push(nest.offset(LoopNest.store(p)));
            expr.push(p.value(), nest);
            mv.visitInsn(FASTORE);
        }
        mv.visitVarInsn(ALOAD, out);
        expr.push(nest.outOffset());
        mv.visitInsn(DUP2);
        mv.visitInsn(FALOAD);
        expr.push(r.value(), nest);
        fold(r.fn());
        mv.visitInsn(FASTORE);
    }

    /** Opens the loops outside the accumulator and starts it from {@code out[o]} or the identity; returns its slot. */
    private int startAccumulator(LoopNest nest, int out, float identity) {
        openLoops(nest, 0, nest.accDepth());
        int acc = locals.declareOrGet("acc");
        if (nest.accumulatesIntoOut()) {
            mv.visitVarInsn(ALOAD, out);
            expr.push(nest.outOffset());
            mv.visitInsn(FALOAD);
        } else {
            expr.pushFloat(identity);
        }
        mv.visitVarInsn(FSTORE, acc);
        return acc;
    }

    /** As {@code VectorKernelSource.reduce}: with {@code scalarLanes}, the lanes live in a {@code float[8]} (scalar twin). */
    private void vectorReduce(Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes) {
        int out = locals.slot(r.out().var());
        float identity = r.fn() == ReduceFn.SUM ? 0f : Float.NEGATIVE_INFINITY;
        String op = r.fn() == ReduceFn.SUM ? "add" : "max";
        int outer = nest.loops().size() - 1;
        if (nest.accumulatesIntoOut()) fill(out, nest, identity);
        if (plan.kind() == VectorPlan.Kind.FOLD_IN_PLACE) {
            openLoops(nest, 0, outer);
            inner(nest, plan, VectorPlan.LANES, () -> {
                for (Kernel.Pointwise p : r.prologue()) { // stored at the point first (the value may read them back)
                    vector.push(p.value(), plan, nest);
                    vector.store(p.out().var(), nest.offset(LoopNest.store(p)));
                }
                vector.pushLoad(r.out().var(), nest.outOffset());
                vector.push(r.value(), plan, nest);
                vector.binary(op);
                vector.store(r.out().var(), nest.outOffset());
            }, null, () -> {
                foldIntoOut(r, nest, out);
            });
            closeLoops(outer);
            return;
        }
        // as the source emitter: the thread's 8-float array fetched once, the twin's lanes or the spill
        int spill = locals.declareOrGet(scalarLanes ? "lanesArray" : "spill");
        mv.visitMethodInsn(INVOKESTATIC, "nnc/runtime/kernels/VectorWarmup", "lanes", "()[F", false);
        mv.visitVarInsn(ASTORE, spill);
        int acc = startAccumulator(nest, out, identity);
        openLoops(nest, nest.accDepth(), outer);
        int lanes = scalarLanes ? spill : locals.declareOrGet("lanes");
        if (scalarLanes) {
            mv.visitVarInsn(ALOAD, lanes);
            expr.pushFloat(identity);
            mv.visitMethodInsn(INVOKESTATIC, "java/util/Arrays", "fill", "([FF)V", false);
        } else {
            vector.pushBroadcast(() -> expr.pushFloat(identity));
            mv.visitVarInsn(ASTORE, lanes);
        }
        int x = locals.declareOrGet(plan.inner().var());
        inner(nest, plan, scalarLanes ? 1 : VectorPlan.LANES, scalarLanes ? () -> {
            mv.visitVarInsn(ALOAD, lanes);
            mv.visitVarInsn(ILOAD, x);
            expr.pushInt(VectorPlan.LANES - 1);
            mv.visitInsn(IAND);
            mv.visitInsn(DUP2);
            mv.visitInsn(FALOAD);
            expr.push(r.value(), nest);
            fold(r.fn());
            mv.visitInsn(FASTORE);
        } : () -> {
            mv.visitVarInsn(ALOAD, lanes);
            vector.push(r.value(), plan, nest);
            vector.binary(op);
            mv.visitVarInsn(ASTORE, lanes);
        }, () -> {
            if (!scalarLanes) { // the lanes go through the per-thread array (a vector passed to a method may be boxed)
                mv.visitVarInsn(ALOAD, lanes);
                mv.visitVarInsn(ALOAD, spill);
                expr.pushInt(0);
                mv.visitMethodInsn(INVOKEVIRTUAL, "jdk/incubator/vector/FloatVector", "intoArray", "([FI)V", false);
            }
            mv.visitVarInsn(FLOAD, acc);
            mv.visitVarInsn(ALOAD, spill);
            mv.visitMethodInsn(INVOKESTATIC, "nnc/runtime/kernels/Lanes", r.fn() == ReduceFn.SUM ? "sum" : "max", "([F)F", false);
            fold(r.fn());
            mv.visitVarInsn(FSTORE, acc);
        }, () -> {
            mv.visitVarInsn(FLOAD, acc);
            expr.push(r.value(), nest);
            fold(r.fn());
            mv.visitVarInsn(FSTORE, acc);
        });
        closeLoops(outer - nest.accDepth());
        mv.visitVarInsn(ALOAD, out);
        expr.push(nest.outOffset());
        mv.visitVarInsn(FLOAD, acc);
        mv.visitInsn(FASTORE);
        closeLoops(nest.accDepth());
    }

    private void fill(int out, LoopNest nest, float identity) {
        mv.visitVarInsn(ALOAD, out);
        expr.pushInt(0);
        expr.push(nest.outSize());
        expr.pushFloat(identity);
        mv.visitMethodInsn(INVOKESTATIC, "java/util/Arrays", "fill", "([FIIF)V", false);
    }

    /**
     * The innermost loop: {@code xBound = SPECIES.loopBound(E); x = 0; for (; x < xBound; x += 8) body;
     * between; for (; x < E; x++) tail}.
     */
    private void inner(LoopNest nest, VectorPlan plan, int step, Runnable body, Runnable between, Runnable tail) {
        LoopNest.Loop loop = plan.inner();
        int depth = nest.loops().size() - 1;
        int bound = locals.declareOrGet(loop.var() + "Bound");
        vector.pushSpecies();
        expr.push(loop.extent());
        mv.visitMethodInsn(INVOKEINTERFACE, "jdk/incubator/vector/VectorSpecies", "loopBound", "(I)I", true);
        mv.visitVarInsn(ISTORE, bound);
        int x = locals.declareOrGet(loop.var());
        expr.pushInt(0);
        mv.visitVarInsn(ISTORE, x);
        Label vectorCondition = new Label();
        Label vectorEnd = new Label();
        mv.visitLabel(vectorCondition);
        mv.visitVarInsn(ILOAD, x);
        mv.visitVarInsn(ILOAD, bound);
        mv.visitJumpInsn(IF_ICMPGE, vectorEnd);
        declareOffsets(nest, depth);
        body.run();
        mv.visitIincInsn(x, step);
        mv.visitJumpInsn(GOTO, vectorCondition);
        mv.visitLabel(vectorEnd);
        if (between != null) between.run();
        Label tailCondition = new Label();
        Label tailEnd = new Label();
        mv.visitLabel(tailCondition);
        mv.visitVarInsn(ILOAD, x);
        expr.push(loop.extent());
        mv.visitJumpInsn(IF_ICMPGE, tailEnd);
        declareOffsets(nest, depth);
        tail.run();
        mv.visitIincInsn(x, 1);
        mv.visitJumpInsn(GOTO, tailCondition);
        mv.visitLabel(tailEnd);
    }

    /** Stores the offsets loop {@code depth} completes (declared on first use). */
    private void declareOffsets(LoopNest nest, int depth) {
        for (LoopNest.OffsetVar o : nest.offsetsAt(depth)) {
            expr.push(o.value());
            mv.visitVarInsn(ISTORE, locals.declareOrGet(o.name()));
        }
    }

    /** Folds the value on top of the stack into the accumulated value below it. */
    private void fold(ReduceFn fn) {
        if (fn == ReduceFn.SUM) mv.visitInsn(FADD);
        else mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "max", "(FF)F", false);
    }

    private void matmul(Kernel.MatMul m) {
        expr.pushInt(m.transA() ? 1 : 0);
        expr.pushInt(m.transB() ? 1 : 0);
        expr.push(IntExpr.of(m.m().asSize()));
        expr.push(IntExpr.of(m.n().asSize()));
        expr.push(IntExpr.of(m.k().asSize()));
        for (Buffer b : new Buffer[] {m.a(), m.b(), m.out()}) {
            mv.visitVarInsn(ALOAD, locals.slot(b.var()));
            expr.pushInt(0);
        }
        mv.visitMethodInsn(INVOKESTATIC, "nnc/runtime/kernels/Gemm", "matmul", "(ZZIII[FI[FI[FI)V", false);
    }

    /** As the source emitter's loop: {@code for (s = 0; s < STEPS; s++) { t = s (or STEPS - 1 - s); body } }. */
    private void loop(Kernel.Loop l, java.util.List<KernelMethod> body, String self) {
        int s = locals.declare("s"), t = locals.declare("t");
        open.push(loopHeader(s, () -> expr.pushInt(l.steps())));
        if (l.reverse()) {
            expr.pushInt(l.steps() - 1);
            mv.visitVarInsn(ILOAD, s);
            mv.visitInsn(ISUB);
        } else {
            mv.visitVarInsn(ILOAD, s);
        }
        mv.visitVarInsn(ISTORE, t);
        for (KernelMethod bm : body) {
            if (bm.kernel() instanceof Kernel.StepCopy c) {
                IntExpr len = IntExpr.of(c.length());
                mv.visitVarInsn(ALOAD, locals.slot(c.from().var()));
                stepOffset(c.fromStepped(), t, len);
                mv.visitVarInsn(ALOAD, locals.slot(c.to().var()));
                stepOffset(c.toStepped(), t, len);
                expr.push(len);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
            } else {
                for (Buffer b : bm.params()) mv.visitVarInsn(ALOAD, locals.slot(b.var()));
                mv.visitVarInsn(ILOAD, locals.slot("batch"));
                mv.visitMethodInsn(INVOKESTATIC, self, bm.name(), descriptor(bm), false);
            }
        }
        closeLoops(1);
    }

    /** {@code t * (len)} for a stepped buffer, else 0. */
    private void stepOffset(boolean stepped, int t, IntExpr len) {
        if (!stepped) {
            expr.pushInt(0);
            return;
        }
        mv.visitVarInsn(ILOAD, t);
        expr.push(len);
        mv.visitInsn(IMUL);
    }

    /** {@code BatchedGemm.matmul(transA, transB, batch, m, n, k, a, b, out)}: a batched product (no epilogue). */
    private void batchedMatmul(Kernel.MatMul m) {
        expr.pushInt(m.transA() ? 1 : 0);
        expr.pushInt(m.transB() ? 1 : 0);
        for (nnc.types.Dim d : new nnc.types.Dim[] {m.batch(), m.m(), m.n(), m.k()}) expr.push(IntExpr.of(d.asSize()));
        for (Buffer b : new Buffer[] {m.a(), m.b(), m.out()}) mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        mv.visitMethodInsn(INVOKESTATIC, "nnc/runtime/kernels/BatchedGemm", "matmul", "(ZZIIII[F[F[F)V", false);
    }

    /** A runtime library call (conv branch): arrays (or null), then n and the fixed sizes; see {@code SpatialCalls}. */
    private void call(Kernel.Call c) {
        for (Buffer b : c.arrays()) {
            if (b == null) mv.visitInsn(ACONST_NULL);
            else mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        }
        expr.push(IntExpr.of(c.n().asSize()));
        for (int v : c.sizes()) expr.pushInt(v);
        mv.visitMethodInsn(INVOKESTATIC, "nnc/runtime/kernels/SpatialCalls", c.fn().routine(), "([F[F[F[FIIIIIIII)V", false);
    }

    /** (gather branch) {@code Gathers.scatterAdd(values, indices, out, positions, rows, cols)}. */
    private void scatterAdd(Kernel.ScatterAdd s) {
        for (Buffer b : new Buffer[] {s.values(), s.indices(), s.out()}) mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        expr.push(IntExpr.of(s.positions()));
        expr.pushInt(s.rows());
        expr.pushInt(s.cols());
        mv.visitMethodInsn(INVOKESTATIC, "nnc/runtime/kernels/Gathers", "scatterAdd", "([F[I[FIII)V", false);
    }

    /** {@code slot = 0; condition: if (slot >= extent) goto end;}: a loop for {@link #closeLoops} to close. */
    private OpenLoop loopHeader(int slot, Runnable pushExtent) {
        Label condition = new Label(), end = new Label();
        expr.pushInt(0);
        mv.visitVarInsn(ISTORE, slot);
        mv.visitLabel(condition);
        mv.visitVarInsn(ILOAD, slot);
        pushExtent.run();
        mv.visitJumpInsn(IF_ICMPGE, end);
        return new OpenLoop(slot, condition, end);
    }

    /** Opens loops {@code [from, to)}: {@code for (int v = 0; v < extent; v++)}, then the offsets each completes. */
    private void openLoops(LoopNest nest, int from, int to) {
        for (int d = from; d < to; d++) {
            LoopNest.Loop loop = nest.loops().get(d);
            OpenLoop header = loopHeader(locals.declareOrGet(loop.var()), () -> expr.push(loop.extent()));
            for (LoopNest.OffsetVar o : nest.offsetsAt(d)) {
                expr.push(o.value());
                mv.visitVarInsn(ISTORE, locals.declareOrGet(o.name()));
            }
            open.push(header);
        }
    }

    /** Closes the {@code count} innermost open loops. */
    private void closeLoops(int count) {
        for (int k = 0; k < count; k++) {
            OpenLoop loop = open.pop();
            mv.visitIincInsn(loop.slot(), 1);
            mv.visitJumpInsn(GOTO, loop.condition());
            mv.visitLabel(loop.end());
        }
    }
}

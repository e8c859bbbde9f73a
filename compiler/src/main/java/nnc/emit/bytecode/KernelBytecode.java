package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.function.IntConsumer;
import nnc.emit.BlockedSum;
import nnc.emit.IntExpr;
import nnc.emit.KernelDispatch;
import nnc.emit.KernelMethod;
import nnc.emit.KernelWriter;
import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.ir.ReduceFn;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.MatrixViews;
import nnc.runtime.DType;
import nnc.runtime.kernels.BlockedSums;
import nnc.runtime.kernels.VectorWarmup;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes one kernel as a {@code private static} method: the statements {@link KernelDispatch}
 * chooses, each as the instructions javac makes of the Java back end's source for it.
 */
final class KernelBytecode implements KernelWriter {
    private record OpenLoop(int slot, Label condition, Label end) {}

    final MethodVisitor mv;
    final Locals locals = new Locals();
    final ExprBytecode expr;
    private final Deque<OpenLoop> open = new ArrayDeque<>();

    private final VectorKernelBytecode vectorLoops;
    private final String self;
    private final String name;
    private final KernelMethod km;
    /** Where the method's vector loops go: the nested class {@code Simd} of {@code self}. */
    private final SimdHolder simd;
    private final int line;

    private KernelBytecode(MethodVisitor mv, String self, KernelMethod km, SimdHolder simd, int line) {
        this.mv = mv;
        this.self = self;
        this.name = km.name();
        this.km = km;
        this.simd = simd;
        this.line = line;
        this.expr = new ExprBytecode(mv, locals);
        this.vectorLoops = new VectorKernelBytecode(this, new VectorBytecode(mv, locals, expr, self));
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

    /**
     * Writes {@code km} into class {@code self}; with {@code simd}, as vector loops where its
     * {@link VectorPlan} allows, those loops in a method of {@code holder} (the nested class {@code Simd}).
     */
    static void write(ClassVisitor cv, KernelMethod km, boolean simd, String self, int line, SimdHolder holder) {
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
        KernelBytecode w = new KernelBytecode(mv, self, km, holder, line);
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
        KernelDispatch.write(km, simd, w);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    @Override public void pointwise(List<Kernel.Pointwise> parts, LoopNest nest) {
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

    @Override public void reduce(Kernel.Reduce r, LoopNest nest) {
        int out = locals.slot(r.out().var());
        float identity = r.fn() == ReduceFn.SUM ? 0f : Float.NEGATIVE_INFINITY;
        int depth = nest.loops().size();
        if (nest.accumulatesIntoOut()) fill(out, nest, identity);
        if (nest.foldsInPlace()) {
            Optional<BlockedSum> blocked = BlockedSum.of(r, nest);
            if (blocked.isEmpty()) {
                openLoops(nest, 0, depth);
                foldIntoOut(r, nest, out);
                closeLoops(depth);
            } else {
                blockedRows(nest, blocked.get(), out, part -> {
                    openLoops(nest, 1, depth);
                    foldIntoOut(r, nest, part);
                    closeLoops(depth - 1);
                });
            }
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

    /** The Java back end's branch-free warm-up test (see {@code KernelSource.warmUpWithScalarLoops}). */
    @Override public void warmUpWithScalarLoops(IntExpr extent, Runnable scalarLoops) {
        Label vector = new Label();
        int calls = locals.declareOrGet("nncCalls"), warm = locals.declareOrGet("nncWarm");
        mv.visitFieldInsn(GETSTATIC, self, name + "Calls", "I");
        mv.visitVarInsn(ISTORE, calls);
        mv.visitVarInsn(ILOAD, calls); // warm = (calls - scalarCalls) >>> 31
        mv.visitFieldInsn(GETSTATIC, RuntimeMethods.SCALAR_CALLS_OWNER, "scalarCalls", RuntimeMethods.SCALAR_CALLS);
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
        mv.visitFieldInsn(GETSTATIC, RuntimeMethods.SCALAR_CALLS_OWNER, "NO_VECTORS", "I"); // | NO_VECTORS
        mv.visitInsn(IOR);
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
        scalarLoops.run();
        mv.visitInsn(RETURN);
        mv.visitLabel(vector);
    }

    @Override public void vectorMethod(Consumer<KernelWriter> stages) {
        if (km.takesTables()) throw new IllegalStateException(name + ": a loop's method has no vector loops");
        String owner = simd.name();
        MethodVisitor vmv = simd.writer().visitMethod(ACC_STATIC, name, descriptor(km), null, null);
        for (Buffer b : km.params()) vmv.visitParameter(b.var(), 0);
        vmv.visitParameter("batch", 0);
        vmv.visitCode();
        line(vmv, line);
        KernelBytecode v = new KernelBytecode(vmv, owner, km, simd, line);
        for (Buffer b : km.params()) v.locals.declare(b.var());
        v.locals.declare("batch");
        stages.accept(v);
        vmv.visitInsn(RETURN);
        vmv.visitMaxs(0, 0);
        vmv.visitEnd();
        for (Buffer b : km.params()) mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        mv.visitVarInsn(ILOAD, locals.slot("batch"));
        mv.visitMethodInsn(INVOKESTATIC, owner, name, descriptor(km), false);
    }

    /** {@code v >>> 31}: 1 when the int on the stack is negative, else 0. */
    private void signBit() {
        expr.pushInt(31);
        mv.visitInsn(IUSHR);
    }

    @Override public void vectorPointwise(List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) {
        vectorLoops.pointwise(parts, nest, plan);
    }

    @Override public void vectorReduce(Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes) {
        vectorLoops.reduce(r, nest, plan, scalarLanes);
    }

    /**
     * A blocked sum's outermost loop in blocks of rows, as {@code KernelSource.blockedRows}
     * ({@link BlockedSum}): {@code inner} writes the loops inside it, given the slot of the partials.
     */
    void blockedRows(LoopNest nest, BlockedSum b, int out, IntConsumer inner) {
        int part = locals.declareOrGet("nncPart");
        int row = locals.declareOrGet(b.rows().var()), block = locals.declareOrGet(b.rows().var() + "Block"),
                end = locals.declareOrGet(b.rows().var() + "End");
        expr.push(nest.outSize());
        RuntimeMethods.BLOCKED_PARTIALS.invoke(mv);
        mv.visitVarInsn(ASTORE, part);
        Label blockCondition = new Label(), blockEnd = new Label(), rowCondition = new Label(), rowEnd = new Label();
        expr.pushInt(0); // for (block = 0; block < R; block += BLOCK)
        mv.visitVarInsn(ISTORE, block);
        mv.visitLabel(blockCondition);
        mv.visitVarInsn(ILOAD, block);
        expr.push(b.rows().extent());
        mv.visitJumpInsn(IF_ICMPGE, blockEnd);
        mv.visitVarInsn(ILOAD, block); // end = Math.min(block + BLOCK, R)
        expr.pushInt(BlockedSums.BLOCK);
        mv.visitInsn(IADD);
        expr.push(b.rows().extent());
        RuntimeMethods.MIN_INT.invoke(mv);
        mv.visitVarInsn(ISTORE, end);
        mv.visitVarInsn(ALOAD, part); // fill(part, 0, outSize, 0f)
        expr.pushInt(0);
        expr.push(nest.outSize());
        expr.pushFloat(0f);
        RuntimeMethods.FILL_RANGE.invoke(mv);
        mv.visitVarInsn(ILOAD, block); // for (row = block; row < end; row++) { offsets(0); inner }
        mv.visitVarInsn(ISTORE, row);
        mv.visitLabel(rowCondition);
        mv.visitVarInsn(ILOAD, row);
        mv.visitVarInsn(ILOAD, end);
        mv.visitJumpInsn(IF_ICMPGE, rowEnd);
        declareOffsets(nest, 0);
        inner.accept(part);
        mv.visitIincInsn(row, 1);
        mv.visitJumpInsn(GOTO, rowCondition);
        mv.visitLabel(rowEnd);
        mv.visitVarInsn(ALOAD, out); // addInto(out, part, outSize)
        mv.visitVarInsn(ALOAD, part);
        expr.push(nest.outSize());
        RuntimeMethods.BLOCKED_ADD_INTO.invoke(mv);
        mv.visitIincInsn(block, BlockedSums.BLOCK);
        mv.visitJumpInsn(GOTO, blockCondition);
        mv.visitLabel(blockEnd);
    }

    /** The prologue's parts stored at the current point, then {@code out[o] = fold(out[o], value)}. */
    void foldIntoOut(Kernel.Reduce r, LoopNest nest, int out) {
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
    int startAccumulator(LoopNest nest, int out, float identity) {
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

    void fill(int out, LoopNest nest, float identity) {
        mv.visitVarInsn(ALOAD, out);
        expr.pushInt(0);
        expr.push(nest.outSize());
        expr.pushFloat(identity);
        RuntimeMethods.FILL_RANGE.invoke(mv);
    }

    /** Stores the offsets loop {@code depth} completes (declared on first use). */
    void declareOffsets(LoopNest nest, int depth) {
        for (LoopNest.OffsetVar o : nest.offsetsAt(depth)) {
            expr.push(o.value());
            mv.visitVarInsn(ISTORE, locals.declareOrGet(o.name()));
        }
    }

    /** Folds the value on top of the stack into the accumulated value below it. */
    void fold(ReduceFn fn) {
        if (fn == ReduceFn.SUM) mv.visitInsn(FADD);
        else RuntimeMethods.MAX.invoke(mv);
    }

    @Override public void matmul(Kernel.MatMul m, IntExpr rows, IntExpr cols, IntExpr depth) {
        expr.pushInt(m.transA() ? 1 : 0);
        expr.pushInt(m.transB() ? 1 : 0);
        expr.push(rows);
        expr.push(cols);
        expr.push(depth);
        for (Buffer b : new Buffer[] {m.a(), m.b(), m.out()}) {
            mv.visitVarInsn(ALOAD, locals.slot(b.var()));
            expr.pushInt(0);
        }
        RuntimeMethods.GEMM.invoke(mv);
    }

    /** As the source emitter's loop: {@code for (s = 0; s < STEPS; s++) { t = s (or STEPS - 1 - s); body } }. */
    @Override public void beginLoop(Kernel.Loop l) {
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
    }

    @Override public void stepCopy(Kernel.StepCopy c, IntExpr length) {
        int t = locals.slot("t");
        mv.visitVarInsn(ALOAD, locals.slot(c.from().var()));
        stepOffset(c.fromStepped(), t, length);
        mv.visitVarInsn(ALOAD, locals.slot(c.to().var()));
        stepOffset(c.toStepped(), t, length);
        expr.push(length);
        RuntimeMethods.ARRAYCOPY.invoke(mv);
    }

    @Override public void callBody(KernelMethod body) {
        for (Buffer b : body.params()) mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        mv.visitVarInsn(ILOAD, locals.slot("batch"));
        mv.visitMethodInsn(INVOKESTATIC, self, body.name(), descriptor(body), false);
    }

    @Override public void endLoop() { closeLoops(1); }

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
    @Override public void batchedMatmul(Kernel.MatMul m, IntExpr count, IntExpr rows, IntExpr cols, IntExpr depth) {
        expr.pushInt(m.transA() ? 1 : 0);
        expr.pushInt(m.transB() ? 1 : 0);
        MatrixViews v = m.views();
        if (v != null) { // the strided form: batch, heads, m, n, k, then each array with its outer, inner and row strides
            expr.push(count);
            expr.pushInt(v.heads());
            for (IntExpr d : new IntExpr[] {rows, cols, depth}) expr.push(d);
            Buffer[] arrays = {m.a(), m.b(), m.out()};
            MatrixViews.View[] views = {v.a(), v.b(), v.out()};
            for (int i = 0; i < 3; i++) {
                mv.visitVarInsn(ALOAD, locals.slot(arrays[i].var()));
                expr.pushInt(views[i].outer());
                expr.pushInt(views[i].inner());
                expr.pushInt(views[i].row());
            }
            RuntimeMethods.BATCHED_GEMM_VIEWS.invoke(mv);
            return;
        }
        for (IntExpr d : new IntExpr[] {count, rows, cols, depth}) expr.push(d);
        for (Buffer b : new Buffer[] {m.a(), m.b(), m.out()}) mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        RuntimeMethods.BATCHED_GEMM.invoke(mv);
    }

    /** A runtime library call: arrays (or null), then n and the fixed sizes; see {@code SpatialCalls}. */
    @Override public void libraryCall(Kernel.Call c, IntExpr n) {
        for (Buffer b : c.arrays()) {
            if (b == null) mv.visitInsn(ACONST_NULL);
            else mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        }
        expr.push(n);
        for (int v : c.sizes()) expr.pushInt(v);
        RuntimeMethods.spatial(c.fn()).invoke(mv);
    }

    /** {@code Gathers.scatterAdd(values, indices, out, positions, rows, cols)}. */
    @Override public void scatterAdd(Kernel.ScatterAdd s, IntExpr positions) {
        for (Buffer b : new Buffer[] {s.values(), s.indices(), s.out()}) mv.visitVarInsn(ALOAD, locals.slot(b.var()));
        expr.push(positions);
        expr.pushInt(s.rows());
        expr.pushInt(s.cols());
        RuntimeMethods.SCATTER_ADD.invoke(mv);
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
    void openLoops(LoopNest nest, int from, int to) {
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
    void closeLoops(int count) {
        for (int k = 0; k < count; k++) {
            OpenLoop loop = open.pop();
            mv.visitIincInsn(loop.slot(), 1);
            mv.visitJumpInsn(GOTO, loop.condition());
            mv.visitLabel(loop.end());
        }
    }
}

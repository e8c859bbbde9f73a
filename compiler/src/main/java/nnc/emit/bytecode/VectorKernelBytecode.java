package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Optional;
import nnc.emit.BlockedSum;
import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.ir.ReduceFn;
import nnc.kir.Kernel;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes the vector loops of a pointwise or reduce kernel (see {@link VectorPlan}) into a
 * {@link KernelBytecode} method, as javac compiles the Java back end's {@code VectorKernelSource}: the
 * outer loops as in scalar mode, then the innermost loop as a {@code FloatVector} main loop to
 * {@code loopBound} and a scalar tail.
 */
final class VectorKernelBytecode {
    private final KernelBytecode k;
    private final MethodVisitor mv;
    private final Locals locals;
    private final ExprBytecode expr;
    private final VectorBytecode vector;

    VectorKernelBytecode(KernelBytecode k, VectorBytecode vector) {
        this.k = k;
        this.mv = k.mv;
        this.locals = k.locals;
        this.expr = k.expr;
        this.vector = vector;
    }

    /** Pointwise kernels over one domain (one kernel, or a fused kernel's parts in order at each point). */
    void pointwise(List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) {
        int outer = nest.loops().size() - 1;
        k.openLoops(nest, 0, outer);
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
        k.closeLoops(outer);
    }

    /** As {@code VectorKernelSource.reduce}: with {@code scalarLanes}, the lanes live in a {@code float[8]} (scalar twin). */
    void reduce(Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes) {
        int out = locals.slot(r.out().var());
        float identity = r.fn() == ReduceFn.SUM ? 0f : Float.NEGATIVE_INFINITY;
        String op = r.fn() == ReduceFn.SUM ? "add" : "max";
        int outer = nest.loops().size() - 1;
        if (nest.accumulatesIntoOut()) k.fill(out, nest, identity);
        if (plan.kind() == VectorPlan.Kind.FOLD_IN_PLACE) {
            Optional<BlockedSum> blocked = BlockedSum.of(r, nest);
            if (blocked.isEmpty()) foldInPlace(r, nest, plan, r.out().var(), 0);
            else k.blockedRows(nest, blocked.get(), out, part -> foldInPlace(r, nest, plan, "nncPart", 1));
            return;
        }
        // as the source emitter: the scalar twin's lanes in the thread's 8-float array, fetched once
        int spill = scalarLanes ? locals.declareOrGet("lanesArray") : -1;
        if (scalarLanes) {
            RuntimeMethods.WARMUP_LANES.invoke(mv);
            mv.visitVarInsn(ASTORE, spill);
        }
        int acc = k.startAccumulator(nest, out, identity);
        k.openLoops(nest, nest.accDepth(), outer);
        int lanes = scalarLanes ? spill : locals.declareOrGet("lanes");
        if (scalarLanes) {
            mv.visitVarInsn(ALOAD, lanes);
            expr.pushFloat(identity);
            RuntimeMethods.FILL.invoke(mv);
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
            k.fold(r.fn());
            mv.visitInsn(FASTORE);
        } : () -> { // value.op(lanes), as the source emitter: the receiver's class is known where C2 parses the loop
            vector.push(r.value(), plan, nest);
            mv.visitVarInsn(ALOAD, lanes);
            vector.binary(op);
            mv.visitVarInsn(ASTORE, lanes);
        }, () -> {
            mv.visitVarInsn(FLOAD, acc);
            if (scalarLanes) {
                mv.visitVarInsn(ALOAD, spill);
                (r.fn() == ReduceFn.SUM ? RuntimeMethods.LANES_SUM : RuntimeMethods.LANES_MAX).invoke(mv);
            } else { // as the source emitter: Lanes' tree folded in registers (LaneFolds)
                mv.visitVarInsn(ALOAD, lanes);
                for (String shuffle : new String[] {"HALVES", "PAIRS", "NEIGHBOURS"}) vector.foldStep(op, shuffle);
                expr.pushInt(0);
                vector.lane();
            }
            k.fold(r.fn());
            mv.visitVarInsn(FSTORE, acc);
        }, () -> {
            mv.visitVarInsn(FLOAD, acc);
            expr.push(r.value(), nest);
            k.fold(r.fn());
            mv.visitVarInsn(FSTORE, acc);
        });
        k.closeLoops(outer - nest.accDepth());
        mv.visitVarInsn(ALOAD, out);
        expr.push(nest.outOffset());
        mv.visitVarInsn(FLOAD, acc);
        mv.visitInsn(FASTORE);
        k.closeLoops(nest.accDepth());
    }

    /** As {@code VectorKernelSource.foldInPlace}: from loop {@code from} inwards, into the local array {@code target}. */
    private void foldInPlace(Kernel.Reduce r, LoopNest nest, VectorPlan plan, String target, int from) {
        int outer = nest.loops().size() - 1;
        String op = r.fn() == ReduceFn.SUM ? "add" : "max";
        k.openLoops(nest, from, outer);
        inner(nest, plan, VectorPlan.LANES, () -> {
            for (Kernel.Pointwise p : r.prologue()) { // stored at the point first (the value may read them back)
                vector.push(p.value(), plan, nest);
                vector.store(p.out().var(), nest.offset(LoopNest.store(p)));
            }
            vector.pushLoad(target, nest.outOffset());
            vector.push(r.value(), plan, nest);
            vector.binary(op);
            vector.store(target, nest.outOffset());
        }, null, () -> k.foldIntoOut(r, nest, locals.slot(target)));
        k.closeLoops(outer - from);
    }

    /**
     * The innermost loop: {@code xBound = SPECIES.loopBound(E); x = 0; for (; x < xBound; x += 8) body;
     * between; for (; x < E; x++) tail}.
     */
    private void inner(LoopNest nest, VectorPlan plan, int step, Runnable body, Runnable between, Runnable tail) {
        LoopNest.Loop loop = plan.inner();
        int depth = nest.loops().size() - 1;
        int bound = locals.declareOrGet(loop.var() + "Bound");
        if (step == 1) { // a scalar twin: (E) & -8, SPECIES.loopBound(E) without the species, as the Java back end writes it
            expr.push(loop.extent());
            expr.pushInt(-VectorPlan.LANES);
            mv.visitInsn(IAND);
        } else {
            vector.pushSpecies();
            expr.push(loop.extent());
            RuntimeMethods.VectorApi.LOOP_BOUND.invoke(mv);
        }
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
        k.declareOffsets(nest, depth);
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
        k.declareOffsets(nest, depth);
        tail.run();
        mv.visitIincInsn(x, 1);
        mv.visitJumpInsn(GOTO, tailCondition);
        mv.visitLabel(tailEnd);
    }
}

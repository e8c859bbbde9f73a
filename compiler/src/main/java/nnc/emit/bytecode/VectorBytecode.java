package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Method;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import nnc.emit.ExactReciprocal;
import nnc.emit.IntExpr;
import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.ir.BinaryFn;
import nnc.ir.LaneForm;
import nnc.ir.UnaryFn;
import nnc.kir.KExpr;
import nnc.runtime.kernels.VectorMath;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Pushes a {@link KExpr} as a {@code FloatVector} for the main loop of a vectorised kernel, with the
 * calls javac makes for the expression {@code nnc.emit.java.VectorExprSource} prints: the same
 * lanewise operations on the same operands, so both back ends compute the same bits.
 */
final class VectorBytecode {
    static final String FV = "jdk/incubator/vector/FloatVector";
    static final String L_FV = "L" + FV + ";";
    static final String SPECIES_TYPE = "Ljdk/incubator/vector/VectorSpecies;";
    private static final String VECTOR = "Ljdk/incubator/vector/Vector;";
    private static final String MASK = "Ljdk/incubator/vector/VectorMask;";
    private static final String COMPARISON = "Ljdk/incubator/vector/VectorOperators$Comparison;";
    private static final Method SELECT = selectMethod();
    private static final Method ONE_HOT = oneHotMethod();

    private final MethodVisitor mv;
    private final Locals locals;
    private final ExprBytecode scalar;
    private final String self;

    VectorBytecode(MethodVisitor mv, Locals locals, ExprBytecode scalar, String self) {
        this.mv = mv;
        this.locals = locals;
        this.scalar = scalar;
        this.self = self;
    }

    private static Method selectMethod() {
        try {
            return VectorMath.class.getMethod("select", FloatVector.class, FloatVector.class, FloatVector.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method oneHotMethod() {
        try {
            return VectorMath.class.getMethod("oneHot", int.class, int.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The internal name of {@code LaneCalls}, by name: emitting its use does not initialise it. */
    private static final String LANE_CALLS = "nnc/runtime/kernels/LaneCalls";

    /** {@code GETSTATIC LaneCalls.NAME}: the handle of {@code VectorMath.NAME}, pushed before its arguments. */
    private void pushHandle(String name) {
        mv.visitFieldInsn(GETSTATIC, LANE_CALLS, name, "Ljava/lang/invoke/MethodHandle;");
    }

    /** {@code invokeExact} of the handle under m's arguments on the stack, typed as m (javac's call of {@code (FloatVector) h.invokeExact(…)}). */
    private void invokeExact(Method m) {
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", Type.getMethodDescriptor(m), false);
    }

    /** {@code GETSTATIC SPECIES}: the generated class's species field. */
    void pushSpecies() { mv.visitFieldInsn(GETSTATIC, self, "SPECIES", SPECIES_TYPE); }

    /** {@code FloatVector.fromArray(SPECIES, buffer, offset)} for the buffer in local {@code var}. */
    void pushLoad(String var, IntExpr offset) {
        pushSpecies();
        mv.visitVarInsn(ALOAD, locals.slot(var));
        scalar.push(offset);
        mv.visitMethodInsn(INVOKESTATIC, FV, "fromArray", "(" + SPECIES_TYPE + "[FI)" + L_FV, false);
    }

    /** {@code FloatVector.broadcast(SPECIES, v)} for a float {@code v} pushed by {@code pushValue}. */
    void pushBroadcast(Runnable pushValue) {
        pushSpecies();
        pushValue.run();
        mv.visitMethodInsn(INVOKESTATIC, FV, "broadcast", "(" + SPECIES_TYPE + "F)" + L_FV, false);
    }

    /** {@code a.NAME(b)} for two vectors on the stack ({@code add sub mul div max min}). */
    void binary(String name) {
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, name, "(" + VECTOR + ")" + L_FV, false);
    }

    /** The internal name of {@code LaneFolds}, by name: emitting its use does not initialise it. */
    private static final String LANE_FOLDS = "nnc/runtime/kernels/LaneFolds";

    /** {@code v.OP(v.rearrange(LaneFolds.SHUFFLE))} for the vector v on the stack ({@code add} or {@code max}). */
    void foldStep(String op, String shuffle) {
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETSTATIC, LANE_FOLDS, shuffle, "Ljdk/incubator/vector/VectorShuffle;");
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "rearrange", "(Ljdk/incubator/vector/VectorShuffle;)" + L_FV, false);
        binary(op);
    }

    /** {@code v.lane(i)} for the vector v and the int i on the stack. */
    void lane() {
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "lane", "(I)F", false);
    }

    /** {@code v.intoArray(buffer, offset)} for the vector on the stack. */
    void store(String var, IntExpr offset) {
        mv.visitVarInsn(ALOAD, locals.slot(var));
        scalar.push(offset);
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "intoArray", "([FI)V", false);
    }

    /** {@code x.blend(0f, x.abs().compare(LT, Float.MIN_NORMAL))} for the vector x on the stack (VectorMath.flushSubnormal's operations). */
    private void flushSubnormal() {
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "abs", "()" + L_FV, false);
        mv.visitFieldInsn(GETSTATIC, "jdk/incubator/vector/VectorOperators", "LT", COMPARISON);
        mv.visitLdcInsn(Float.MIN_NORMAL);
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "compare", "(" + COMPARISON + "F)" + MASK, false);
        mv.visitInsn(FCONST_0);
        mv.visitInsn(SWAP); // x, 0f, mask
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "blend", "(F" + MASK + ")" + L_FV, false);
    }

    void push(KExpr e, VectorPlan plan, LoopNest nest) {
        if (!plan.varies(e)) {
            pushBroadcast(() -> scalar.push(e, nest));
            return;
        }
        if (e instanceof KExpr.Load l) {
            pushLoad(l.buffer().var(), nest.offset(l));
        } else if (e instanceof KExpr.Unary u) {
            LaneForm<UnaryFn.LaneInline> form = u.fn().lanes();
            if (form instanceof LaneForm.Call<UnaryFn.LaneInline> c) {
                pushHandle(c.name());
                push(u.x(), plan, nest);
                invokeExact(c.method());
                return;
            }
            push(u.x(), plan, nest);
            if (form instanceof LaneForm.Inline<UnaryFn.LaneInline> in) {
                switch (in.op()) {
                    case NEG -> mv.visitMethodInsn(INVOKEVIRTUAL, FV, "neg", "()" + L_FV, false);
                    case ABS -> mv.visitMethodInsn(INVOKEVIRTUAL, FV, "abs", "()" + L_FV, false);
                    case SQRT -> mv.visitMethodInsn(INVOKEVIRTUAL, FV, "sqrt", "()" + L_FV, false);
                    case RELU -> {
                        mv.visitInsn(FCONST_0);
                        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "max", "(F)" + L_FV, false);
                    }
                    case FLUSH -> flushSubnormal();
                }
            } else if (form instanceof LaneForm.None<UnaryFn.LaneInline>) {
                throw new IllegalStateException(u.fn().text() + " has no lane form");
            } else throw new IllegalStateException("unexpected " + form.getClass().getSimpleName());
        } else if (e instanceof KExpr.Binary b && b.fn() == BinaryFn.DIV && ExactReciprocal.of(b.b()).isPresent()) { // as VectorExprSource
            push(b.a(), plan, nest);
            push(new KExpr.Const(ExactReciprocal.of(b.b()).get()), plan, nest);
            binary("mul");
        } else if (e instanceof KExpr.Binary b) {
            LaneForm<BinaryFn.LaneInline> form = b.fn().lanes();
            if (form instanceof LaneForm.Call<BinaryFn.LaneInline> c) {
                pushHandle(c.name());
                push(b.a(), plan, nest);
                push(b.b(), plan, nest);
                invokeExact(c.method());
            } else if (form instanceof LaneForm.Inline<BinaryFn.LaneInline> in) {
                switch (in.op()) {
                    case GT, GE, EQ -> {
                        pushSpecies();
                        mv.visitMethodInsn(INVOKESTATIC, FV, "zero", "(" + SPECIES_TYPE + ")" + L_FV, false);
                        mv.visitInsn(FCONST_1);
                        push(b.a(), plan, nest);
                        mv.visitFieldInsn(GETSTATIC, "jdk/incubator/vector/VectorOperators", in.op().name(), COMPARISON);
                        push(b.b(), plan, nest);
                        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "compare", "(" + COMPARISON + VECTOR + ")" + MASK, false);
                        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "blend", "(F" + MASK + ")" + L_FV, false);
                    }
                    case ADD, SUB, MUL, DIV, MAX, MIN -> {
                        push(b.a(), plan, nest);
                        push(b.b(), plan, nest);
                        binary(in.op().name().toLowerCase(Locale.ROOT));
                    }
                }
            } else if (form instanceof LaneForm.None<BinaryFn.LaneInline>) {
                throw new IllegalStateException(b.fn().text() + " is not vectorised");
            } else throw new IllegalStateException("unexpected " + form.getClass().getSimpleName());
        } else if (e instanceof KExpr.Const) {
            throw new IllegalStateException("constants do not vary");
        } else if (e instanceof KExpr.DimSize) {
            throw new IllegalStateException("sizes do not vary");
        } else if (e instanceof KExpr.OneHot h) { // lane L: indices[o] == the first lane's index + L (as VectorPlan accepts it)
            pushHandle(ONE_HOT.getName());
            scalar.pushOneHotArguments(h, nest);
            invokeExact(ONE_HOT);
        } else if (e instanceof KExpr.Index) {
            throw new IllegalStateException("indices along the vector axis are not vectorised");
        } else if (e instanceof KExpr.Select s && !plan.varies(s.cond())) { // one condition for every lane: only the chosen branch runs
            Label otherwise = new Label(), done = new Label();
            scalar.push(s.cond(), nest);
            mv.visitInsn(FCONST_0);
            mv.visitInsn(FCMPL);
            mv.visitJumpInsn(IFEQ, otherwise);
            push(s.a(), plan, nest);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(otherwise);
            push(s.b(), plan, nest);
            mv.visitLabel(done);
        } else if (e instanceof KExpr.Select s) {
            pushHandle(SELECT.getName());
            push(s.cond(), plan, nest);
            push(s.a(), plan, nest);
            push(s.b(), plan, nest);
            invokeExact(SELECT);
        } else if (e instanceof KExpr.Gather g) { // 8 consecutive columns of the picked row
            pushSpecies();
            mv.visitVarInsn(ALOAD, locals.slot(g.table().buffer().var()));
            scalar.pushGatherOffset(g, nest);
            mv.visitMethodInsn(INVOKESTATIC, FV, "fromArray", "(" + SPECIES_TYPE + "[FI)" + L_FV, false);
        } else throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }
}

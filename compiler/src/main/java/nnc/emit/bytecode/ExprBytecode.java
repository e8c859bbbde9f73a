package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Method;
import nnc.emit.IntExpr;
import nnc.emit.LoopNest;
import nnc.ir.BinaryFn;
import nnc.ir.ScalarForm;
import nnc.ir.UnaryFn;
import nnc.kir.KExpr;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Pushes the value of a {@link KExpr} (a float) or an {@link IntExpr} (an int) onto the operand stack,
 * with the instructions javac produces for the source {@link nnc.emit.java.JavaSourceEmitter} writes,
 * so both back ends perform the same float operations in the same order.
 */
final class ExprBytecode {
    private static final String MATH = "java/lang/Math";

    private final MethodVisitor mv;
    private final Locals locals;

    ExprBytecode(MethodVisitor mv, Locals locals) {
        this.mv = mv;
        this.locals = locals;
    }

    /** Pushes {@code e}, reading loads at their offsets in {@code nest}. */
    void push(KExpr e, LoopNest nest) {
        if (e instanceof KExpr.Load l) {
            mv.visitVarInsn(ALOAD, locals.slot(l.buffer().var()));
            push(nest.offset(l));
            mv.visitInsn(FALOAD);
        } else if (e instanceof KExpr.Const c) {
            pushFloat(c.value());
        } else if (e instanceof KExpr.DimSize d) {
            if (!d.symbol().equals("batch")) throw new IllegalArgumentException("unsupported symbolic dimension '" + d.symbol() + "'");
            mv.visitVarInsn(ILOAD, locals.slot("batch"));
            mv.visitInsn(I2F);
        } else if (e instanceof KExpr.Index i) {
            push(nest.axisIndex(i.axis()));
            mv.visitInsn(I2F);
        } else if (e instanceof KExpr.Unary u) {
            push(u.x(), nest);
            ScalarForm<UnaryFn.Inline> form = u.fn().scalar();
            if (form instanceof ScalarForm.Call<UnaryFn.Inline> c) {
                invokeStatic(c.method());
            } else if (form instanceof ScalarForm.Inline<UnaryFn.Inline> in) {
                switch (in.op()) {
                    case NEG -> mv.visitInsn(FNEG);
                    case RELU -> {
                        mv.visitInsn(FCONST_0);
                        mv.visitMethodInsn(INVOKESTATIC, MATH, "max", "(FF)F", false);
                    }
                }
            } else throw new IllegalStateException("unexpected " + form.getClass().getSimpleName());
        } else if (e instanceof KExpr.Binary b) {
            push(b.a(), nest);
            push(b.b(), nest);
            ScalarForm<BinaryFn.Inline> form = b.fn().scalar();
            if (form instanceof ScalarForm.Call<BinaryFn.Inline> c) {
                invokeStatic(c.method());
            } else if (form instanceof ScalarForm.Inline<BinaryFn.Inline> in) {
                switch (in.op()) {
                    case ADD -> mv.visitInsn(FADD);
                    case SUB -> mv.visitInsn(FSUB);
                    case MUL -> mv.visitInsn(FMUL);
                    case DIV -> mv.visitInsn(FDIV);
                    // fcmpl pushes -1 when either side is NaN, so the comparison is false, as in Java.
                    case GT -> oneOrZero(FCMPL, IFLE);
                    case GE -> oneOrZero(FCMPL, IFLT);
                    case EQ -> oneOrZero(FCMPL, IFNE);
                }
            } else throw new IllegalStateException("unexpected " + form.getClass().getSimpleName());
        } else if (e instanceof KExpr.Select s) {
            // as javac compiles `c != 0f ? a : b`: fcmpl pushes 0 only for equal (non-NaN) operands
            Label otherwise = new Label();
            Label done = new Label();
            push(s.cond(), nest);
            mv.visitInsn(FCONST_0);
            mv.visitInsn(FCMPL);
            mv.visitJumpInsn(IFEQ, otherwise);
            push(s.a(), nest);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(otherwise);
            push(s.b(), nest);
            mv.visitLabel(done);
        } else if (e instanceof KExpr.OneHot h) {
            pushOneHotArguments(h, nest);
            oneOrZero(NOP, IF_ICMPNE);
        } else if (e instanceof KExpr.Gather g) {
            mv.visitVarInsn(ALOAD, locals.slot(g.table().buffer().var()));
            pushGatherOffset(g, nest);
            mv.visitInsn(FALOAD);
        } else throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    /** Pushes {@code VectorMath.oneHot}'s two ints: the class index loaded, then the index of the one-hot's axis. */
    void pushOneHotArguments(KExpr.OneHot h, LoopNest nest) {
        mv.visitVarInsn(ALOAD, locals.slot(h.indices().buffer().var()));
        push(nest.offset(h.indices()));
        mv.visitInsn(IALOAD);
        push(nest.axisIndex(h.axis()));
    }

    /** Pushes {@code Gathers.row(indices[o], rows) * rowStride + offset(table)}, as javac compiles it. */
    void pushGatherOffset(KExpr.Gather g, LoopNest nest) {
        mv.visitVarInsn(ALOAD, locals.slot(g.indices().buffer().var()));
        push(nest.offset(g.indices()));
        mv.visitInsn(IALOAD);
        pushInt(g.rows());
        mv.visitMethodInsn(INVOKESTATIC, "nnc/runtime/kernels/Gathers", "row", "(II)I", false);
        pushInt(g.rowStride());
        mv.visitInsn(IMUL);
        push(nest.offset(g.table()));
        mv.visitInsn(IADD);
    }

    /** {@code INVOKESTATIC} of a real static method: owner, name and descriptor from ASM's {@link Type} over it. */
    void invokeStatic(Method m) {
        mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(m.getDeclaringClass()), m.getName(), Type.getMethodDescriptor(m), false);
    }

    /** {@code cond ? 1f : 0f} for two operands on the stack: {@code compare} (or NOP), then jump to 0f on {@code jumpIfFalse}. */
    private void oneOrZero(int compare, int jumpIfFalse) {
        Label zero = new Label();
        Label done = new Label();
        if (compare != NOP) mv.visitInsn(compare);
        mv.visitJumpInsn(jumpIfFalse, zero);
        mv.visitInsn(FCONST_1);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(zero);
        mv.visitInsn(FCONST_0);
        mv.visitLabel(done);
    }

    /** Pushes an int expression. */
    void push(IntExpr e) {
        if (e instanceof IntExpr.Lit l) {
            pushInt(l.value());
        } else if (e instanceof IntExpr.Batch) {
            mv.visitVarInsn(ILOAD, locals.slot("batch"));
        } else if (e instanceof IntExpr.Var v) {
            mv.visitVarInsn(ILOAD, locals.slot(v.name()));
        } else if (e instanceof IntExpr.Add a) {
            push(a.a());
            push(a.b());
            mv.visitInsn(IADD);
        } else if (e instanceof IntExpr.Mul m) {
            push(m.a());
            push(m.b());
            mv.visitInsn(IMUL);
        } else throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    void pushInt(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    /** Pushes a float constant bit for bit ({@code fconst} only for +0, 1 and 2). */
    void pushFloat(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (bits == Float.floatToRawIntBits(0f)) mv.visitInsn(FCONST_0);
        else if (bits == Float.floatToRawIntBits(1f)) mv.visitInsn(FCONST_1);
        else if (bits == Float.floatToRawIntBits(2f)) mv.visitInsn(FCONST_2);
        else mv.visitLdcInsn(v);
    }
}

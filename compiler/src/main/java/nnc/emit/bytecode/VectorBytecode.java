package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.*;

import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.kir.KExpr;
import org.objectweb.asm.MethodVisitor;

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
    private static final String VECTOR_MATH = "nnc/runtime/kernels/VectorMath";

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

    /** {@code GETSTATIC SPECIES}: the generated class's species field. */
    void pushSpecies() { mv.visitFieldInsn(GETSTATIC, self, "SPECIES", SPECIES_TYPE); }

    /** {@code FloatVector.fromArray(SPECIES, buffer, offset)} for the buffer in local {@code var}. */
    void pushLoad(String var, nnc.emit.IntExpr offset) {
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

    /** {@code v.intoArray(buffer, offset)} for the vector on the stack. */
    void store(String var, nnc.emit.IntExpr offset) {
        mv.visitVarInsn(ALOAD, locals.slot(var));
        scalar.push(offset);
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "intoArray", "([FI)V", false);
    }

    void push(KExpr e, VectorPlan plan, LoopNest nest) {
        if (!plan.varies(e)) {
            pushBroadcast(() -> scalar.push(e, nest));
            return;
        }
        switch (e) {
            case KExpr.Load l -> pushLoad(l.buffer().var(), nest.offset(l));
            case KExpr.Unary u -> {
                push(u.x(), plan, nest);
                switch (u.fn()) {
                    case NEG -> mv.visitMethodInsn(INVOKEVIRTUAL, FV, "neg", "()" + L_FV, false);
                    case ABS -> mv.visitMethodInsn(INVOKEVIRTUAL, FV, "abs", "()" + L_FV, false);
                    case SQRT -> mv.visitMethodInsn(INVOKEVIRTUAL, FV, "sqrt", "()" + L_FV, false);
                    case RELU -> {
                        mv.visitInsn(FCONST_0);
                        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "max", "(F)" + L_FV, false);
                    }
                    case EXP, LOG, TANH, SIGMOID, SOFTPLUS, ERF ->
                            mv.visitMethodInsn(INVOKESTATIC, VECTOR_MATH, u.fn().text(), "(" + L_FV + ")" + L_FV, false);
                }
            }
            case KExpr.Binary b -> {
                switch (b.fn()) {
                    case GT, GE, EQ -> {
                        pushSpecies();
                        mv.visitMethodInsn(INVOKESTATIC, FV, "zero", "(" + SPECIES_TYPE + ")" + L_FV, false);
                        mv.visitInsn(FCONST_1);
                        push(b.a(), plan, nest);
                        mv.visitFieldInsn(GETSTATIC, "jdk/incubator/vector/VectorOperators", b.fn().name(), COMPARISON);
                        push(b.b(), plan, nest);
                        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "compare", "(" + COMPARISON + VECTOR + ")" + MASK, false);
                        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "blend", "(F" + MASK + ")" + L_FV, false);
                    }
                    case POW -> throw new IllegalStateException("pow is not vectorised");
                    case HASH -> {
                        push(b.a(), plan, nest);
                        push(b.b(), plan, nest);
                        mv.visitMethodInsn(INVOKESTATIC, VECTOR_MATH, "hashUniform", "(" + L_FV + L_FV + ")" + L_FV, false);
                    }
                    default -> {
                        push(b.a(), plan, nest);
                        push(b.b(), plan, nest);
                        binary(switch (b.fn()) {
                            case ADD -> "add";
                            case SUB -> "sub";
                            case MUL -> "mul";
                            case DIV -> "div";
                            case MAX -> "max";
                            case MIN -> "min";
                            default -> throw new IllegalStateException(b.fn().toString());
                        });
                    }
                }
            }
            case KExpr.Const c -> throw new IllegalStateException("constants do not vary");
            case KExpr.DimSize d -> throw new IllegalStateException("sizes do not vary");
            case KExpr.OneHot h -> throw new IllegalStateException("one-hot terms on the vector axis are not vectorised");
            case KExpr.Index i -> throw new IllegalStateException("indices along the vector axis are not vectorised");
            case KExpr.Select s -> {
                push(s.cond(), plan, nest);
                push(s.a(), plan, nest);
                push(s.b(), plan, nest);
                mv.visitMethodInsn(INVOKESTATIC, VECTOR_MATH, "select", "(" + L_FV + L_FV + L_FV + ")" + L_FV, false);
            }
            case KExpr.Gather g -> { // gather branch: 8 consecutive columns of the picked row
                pushSpecies();
                mv.visitVarInsn(ALOAD, locals.slot(g.table().buffer().var()));
                scalar.pushGatherOffset(g, nest);
                mv.visitMethodInsn(INVOKESTATIC, FV, "fromArray", "(" + SPECIES_TYPE + "[FI)" + L_FV, false);
            }
        }
    }
}

package nnc.passes;

import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.runtime.kernels.ScalarMath;

/**
 * The f32 value of each elementwise function, exactly as the Kernel IR defines it (see
 * {@code nnc.kir.KExpr}) and the generated code computes it, so that folding a constant gives the
 * bits the kernel would have computed.
 */
final class FloatSemantics {
    private FloatSemantics() {}

    /** f(x), or null for a function this table does not know yet (the op is then not folded). */
    static Float apply(UnaryFn fn, float x) {
        return switch (fn) {
            case NEG -> -x;
            case EXP -> ScalarMath.exp(x);
            case LOG -> ScalarMath.log(x);
            case TANH -> ScalarMath.tanh(x);
            case SIGMOID -> ScalarMath.sigmoid(x);
            case RELU -> Math.max(x, 0f);
            case SQRT -> ScalarMath.sqrt(x);
            case ABS -> Math.abs(x);
            case SOFTPLUS -> ScalarMath.softplus(x);
            default -> null;
        };
    }

    /** f(a, b), or null for a function this table does not know yet. */
    static Float apply(BinaryFn fn, float a, float b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> ScalarMath.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
            default -> null;
        };
    }
}

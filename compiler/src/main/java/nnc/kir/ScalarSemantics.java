package nnc.kir;

import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.runtime.kernels.ScalarMath;

/**
 * The f32 value of every elementwise function, once: what {@link KExpr} defines, what both
 * emitters generate, what the interpreter computes and what constant folding folds to. The
 * transcendentals are {@link ScalarMath}'s, so every path gives the same bits.
 */
public final class ScalarSemantics {
    private ScalarSemantics() {}

    public static float apply(UnaryFn fn, float x) {
        return switch (fn) {
            case NEG -> -x;
            case EXP -> ScalarMath.exp(x);
            case LOG -> ScalarMath.log(x);
            case TANH -> ScalarMath.tanh(x);
            case SIGMOID -> ScalarMath.sigmoid(x);
            case SOFTPLUS -> ScalarMath.softplus(x);
            case ERF -> ScalarMath.erf(x);
            case RELU -> Math.max(x, 0f);
            case SQRT -> ScalarMath.sqrt(x);
            case ABS -> Math.abs(x);
        };
    }

    public static float apply(BinaryFn fn, float a, float b) {
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
            case HASH -> ScalarMath.hashUniform(a, b);
        };
    }
}

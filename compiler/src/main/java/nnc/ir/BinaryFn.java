package nnc.ir;

/**
 * Elementwise functions of two broadcast arguments. Comparisons yield 1.0 or 0.0; HASH is
 * {@code ScalarMath.hashUniform(a, b)}, a counter-based random value in [0, 1) (dropout's RNG).
 */
public enum BinaryFn {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, EQ, HASH;

    public String text() { return name().toLowerCase(java.util.Locale.ROOT); }
}

package nnc.ir;

/** Elementwise functions of two broadcast arguments. Comparisons yield 1.0 or 0.0. */
public enum BinaryFn {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, EQ;

    public String text() { return name().toLowerCase(java.util.Locale.ROOT); }
}

package nnc.ir;

/** Elementwise functions of one argument. */
public enum UnaryFn {
    NEG, EXP, LOG, TANH, SIGMOID, RELU, SQRT, ABS, SOFTPLUS, ERF;

    public String text() { return name().toLowerCase(java.util.Locale.ROOT); }
}

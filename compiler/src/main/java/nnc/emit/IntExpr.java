package nnc.emit;

import java.util.Objects;
import nnc.types.Size;

/**
 * The integer arithmetic of generated loops: extents, strides and buffer offsets. Built only through
 * {@link #add}, {@link #mul} and {@link #of(Size)}, which fold zeros and ones, so both emitters print
 * and compile the same simplified expressions. Integer arithmetic is exact modulo 2³², so the
 * grouping of sums and products does not matter for results.
 */
public sealed interface IntExpr {
    /** An {@code int} constant. */
    record Lit(int value) implements IntExpr {
        // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
        // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
        @Override public boolean equals(Object other) { return other instanceof Lit that && value == that.value; }
        @Override public int hashCode() { return value; }
    }

    /** A local {@code int} variable of the kernel method: a loop index or a hoisted offset. */
    record Var(String name) implements IntExpr {
        public Var { Objects.requireNonNull(name); }

        @Override public boolean equals(Object other) { return other instanceof Var that && Objects.equals(name, that.name); }
        @Override public int hashCode() { return Objects.hashCode(name); }
    }

    /** The step's {@code int batch} parameter. */
    record Batch() implements IntExpr {
        @Override public boolean equals(Object other) { return other instanceof Batch; }
        @Override public int hashCode() { return 0; }
    }

    /** {@code a + b}. */
    record Add(IntExpr a, IntExpr b) implements IntExpr {
        @Override public boolean equals(Object other) {
            return other instanceof Add that && Objects.equals(a, that.a) && Objects.equals(b, that.b);
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(a) + Objects.hashCode(b); }
    }

    /** {@code a * b}. */
    record Mul(IntExpr a, IntExpr b) implements IntExpr {
        @Override public boolean equals(Object other) {
            return other instanceof Mul that && Objects.equals(a, that.a) && Objects.equals(b, that.b);
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(a) + Objects.hashCode(b); }
    }

    IntExpr ZERO = new Lit(0);
    IntExpr ONE = new Lit(1);
    IntExpr BATCH = new Batch();

    static IntExpr lit(long value) {
        try {
            return new Lit(Math.toIntExact(value));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size " + value + " does not fit in an int", e);
        }
    }

    static IntExpr var(String name) { return new Var(name); }

    /** {@code a + b}, folding zeros and constants. */
    static IntExpr add(IntExpr a, IntExpr b) {
        if (a.isZero()) return b;
        if (b.isZero()) return a;
        if (a instanceof Lit x && b instanceof Lit y) return lit((long) x.value() + y.value());
        return new Add(a, b);
    }

    /** {@code a * b}, folding zeros, ones and constants. */
    static IntExpr mul(IntExpr a, IntExpr b) {
        if (a.isZero() || b.isZero()) return ZERO;
        if (a.equals(ONE)) return b;
        if (b.equals(ONE)) return a;
        if (a instanceof Lit x && b instanceof Lit y) return lit((long) x.value() * y.value());
        return new Mul(a, b);
    }

    /**
     * A size as generated code computes it: its constant times {@code batch} once per symbol.
     *
     * @throws IllegalArgumentException for a symbol other than {@code batch}, or a constant beyond int
     */
    static IntExpr of(Size size) {
        if (size.isZero()) return ZERO;
        IntExpr e = lit(size.constant());
        for (String symbol : size.symbols()) {
            if (!symbol.equals("batch"))
                throw new IllegalArgumentException("unsupported symbolic dimension '" + symbol + "' (only batch is bound at run time)");
            e = mul(e, BATCH);
        }
        return e;
    }

    default boolean isZero() { return this instanceof Lit l && l.value() == 0; }

    /** The value with {@code batch} bound and no variables; throws for a {@link Var}. */
    default long eval(int batch) {
        return switch (this) {
            case Lit l -> l.value();
            case Batch b -> batch;
            case Var v -> throw new IllegalStateException("variable " + v.name() + " has no value here");
            case Add s -> s.a().eval(batch) + s.b().eval(batch);
            case Mul m -> m.a().eval(batch) * m.b().eval(batch);
        };
    }

    /** Java source text, e.g. {@code o0 + i1 * 3 * batch}. Products bind tighter than sums. */
    default String text() {
        return switch (this) {
            case Lit l -> Integer.toString(l.value());
            case Batch b -> "batch";
            case Var v -> v.name();
            case Add s -> s.a().text() + " + " + s.b().text();
            case Mul m -> factor(m.a()) + " * " + factor(m.b());
        };
    }

    private static String factor(IntExpr e) {
        return e instanceof Add ? "(" + e.text() + ")" : e.text();
    }
}

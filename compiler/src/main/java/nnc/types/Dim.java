package nnc.types;

import java.util.List;
import java.util.Objects;

/** One dimension of a shape: a fixed size, or a symbol (such as {@code batch}) bound at run time. */
public sealed interface Dim {
    record Fixed(long size) implements Dim {
        @Override public Size asSize() { return Size.of(size); }

        @Override public String toString() { return Long.toString(size); }

        // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
        // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
        @Override public boolean equals(Object other) { return other instanceof Fixed that && size == that.size; }
        @Override public int hashCode() { return Long.hashCode(size); }
    }

    record Sym(String name) implements Dim {
        @Override public Size asSize() { return Size.sym(name); }

        @Override public String toString() { return name; }

        @Override public boolean equals(Object other) { return other instanceof Sym that && Objects.equals(name, that.name); }
        @Override public int hashCode() { return Objects.hashCode(name); }
    }

    /**
     * {@code factor} times a symbol, e.g. {@code 16*batch}: the leading axis of a {@code [batch, time, d]}
     * tensor flattened to a matrix {@code [batch*time, d]} (time is bound to a fixed length when the
     * trainer is compiled, so only {@code batch} stays symbolic). Made by {@link #times}.
     */
    record Scaled(long factor, String symbol) implements Dim {
        @Override public Size asSize() { return new Size(factor, List.of(symbol)); }

        @Override public String toString() { return factor + "*" + symbol; }

        @Override public boolean equals(Object other) {
            return other instanceof Scaled that && factor == that.factor && Objects.equals(symbol, that.symbol);
        }
        @Override public int hashCode() { return 31 * Long.hashCode(factor) + Objects.hashCode(symbol); }
    }

    Dim BATCH = new Sym("batch");
    Dim ONE = new Fixed(1);

    static Dim of(long size) { return new Fixed(size); }

    default boolean isFixed() { return this instanceof Fixed; }

    default boolean isOne() { return this instanceof Fixed f && f.size() == 1; }

    /** The fixed size; throws for a symbol. */
    default long size() {
        if (this instanceof Fixed f) return f.size();
        throw new IllegalStateException("symbolic dimension " + this);
    }

    /**
     * The dimension as a size: a constant times symbols. A method of each record rather than a pattern
     * switch here: the JVM links a pattern switch at first use, ~0.4 ms when nnc starts.
     */
    Size asSize();

    /** The symbol of a symbolic dimension ({@code batch} of {@code batch} and {@code 16*batch}); null when fixed. */
    default String symbol() {
        return switch (this) {
            case Fixed f -> null;
            case Sym s -> s.name();
            case Scaled s -> s.symbol();
        };
    }

    /** The fixed factor: the size when fixed, 1 for a symbol, the factor of a scaled symbol. */
    default long factor() {
        return switch (this) {
            case Fixed f -> f.size();
            case Sym s -> 1;
            case Scaled s -> s.factor();
        };
    }

    /** The product of two dimensions, at most one of them symbolic. */
    static Dim times(Dim a, Dim b) {
        if (a.symbol() != null && b.symbol() != null) throw new IllegalArgumentException("product of two symbolic dimensions " + a + " and " + b);
        long f = Math.multiplyExact(a.factor(), b.factor());
        String sym = a.symbol() != null ? a.symbol() : b.symbol();
        if (sym == null) return of(f);
        return f == 1 ? new Sym(sym) : new Scaled(f, sym);
    }

    /** The value once {@code batch} is {@code batch}. */
    default int value(int batch) {
        return Math.toIntExact(symbol() == null ? factor() : factor() * batch);
    }
}

package nnc.types;

import java.util.List;

/** One dimension of a shape: a fixed size, or a symbol (such as {@code batch}) bound at run time. */
public sealed interface Dim {
    record Fixed(long size) implements Dim {
        @Override public String toString() { return Long.toString(size); }
    }

    record Sym(String name) implements Dim {
        @Override public String toString() { return name; }
    }

    /**
     * {@code factor} times a symbol, e.g. {@code 16*batch}: the leading axis of a {@code [batch, time, d]}
     * tensor flattened to a matrix {@code [batch*time, d]} (time is bound to a fixed length when the
     * trainer is compiled, so only {@code batch} stays symbolic). Made by {@link #times}.
     */
    record Scaled(long factor, String symbol) implements Dim {
        @Override public String toString() { return factor + "*" + symbol; }
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

    default Size asSize() {
        return switch (this) {
            case Fixed f -> Size.of(f.size());
            case Sym s -> Size.sym(s.name());
            case Scaled s -> new Size(s.factor(), List.of(s.symbol()));
        };
    }

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

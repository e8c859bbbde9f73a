package nnc.types;

/** One dimension of a shape: a fixed size, or a symbol (such as {@code batch}) bound at run time. */
public sealed interface Dim {
    record Fixed(long size) implements Dim {
        @Override public String toString() { return Long.toString(size); }
    }

    record Sym(String name) implements Dim {
        @Override public String toString() { return name; }
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
        };
    }
}

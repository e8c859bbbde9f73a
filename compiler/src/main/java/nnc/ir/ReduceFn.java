package nnc.ir;

/** Reductions over axes. Means are sums divided by a size (see {@link Op.DimSize}). */
public enum ReduceFn {
    SUM, MAX;

    public String text() { return name().toLowerCase(java.util.Locale.ROOT); }
}

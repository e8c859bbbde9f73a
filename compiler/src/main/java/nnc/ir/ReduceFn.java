package nnc.ir;

import java.util.Locale;

/** Reductions over axes. Means are sums divided by a size (see {@link Op.DimSize}). */
public enum ReduceFn {
    SUM, MAX;

    public String text() { return name().toLowerCase(Locale.ROOT); }
}

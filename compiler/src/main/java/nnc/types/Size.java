package nnc.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * A size known at compile time up to symbols: {@code constant × product(symbols)}, e.g. 784·batch.
 * Element counts and strides of shapes with symbolic dimensions are of this form.
 */
public record Size(long constant, List<String> symbols) {
    public Size {
        // sorted without a stream: sizes are made by the thousand while compiling, mostly interpreted on a cold
        // start, where sorting through a stream cost some 5 % of the playground's compile
        if (symbols.size() < 2) {
            symbols = symbols.isEmpty() ? List.of() : Collections.singletonList(symbols.get(0));
        } else {
            String[] sorted = symbols.toArray(new String[0]);
            Arrays.sort(sorted);
            symbols = List.of(sorted);
        }
    }

    public static Size of(long constant) { return new Size(constant, List.of()); }

    public static Size sym(String symbol) { return new Size(1, List.of(symbol)); }

    public Size times(Size other) {
        List<String> s = new ArrayList<>(symbols);
        s.addAll(other.symbols);
        return new Size(Math.multiplyExact(constant, other.constant), s);
    }

    public boolean isConstant() { return symbols.isEmpty(); }

    public boolean isZero() { return constant == 0; }

    /** The value once each symbol is bound; here only {@code batch} exists. */
    public long eval(ToLongFunction<String> binding) {
        long v = constant;
        for (String s : symbols) v *= binding.applyAsLong(s);
        return v;
    }

    @Override public String toString() {
        if (symbols.isEmpty()) return Long.toString(constant);
        String syms = String.join("*", symbols);
        return constant == 1 ? syms : constant + "*" + syms;
    }

    // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
    // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
    @Override public boolean equals(Object other) {
        return other instanceof Size that && constant == that.constant && Objects.equals(symbols, that.symbols);
    }
    @Override public int hashCode() { return 31 * Long.hashCode(constant) + Objects.hashCode(symbols); }
}

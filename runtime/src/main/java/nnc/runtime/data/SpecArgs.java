package nnc.runtime.data;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the arguments and options of a {@link DataSpec} and turns every mistake into a
 * {@link DataException} that names where the spec was written and what is expected.
 */
final class SpecArgs {
    private final DataSpec spec;

    /** Checks the positional argument count and that every option is one of {@code known}. */
    SpecArgs(DataSpec spec, int minArgs, int maxArgs, Set<String> known) {
        this.spec = spec;
        int n = spec.args().size();
        if (n < minArgs || n > maxArgs) {
            String expected = minArgs == maxArgs ? Integer.toString(minArgs) : minArgs + " to " + maxArgs;
            throw error("takes " + expected + " positional argument" + (maxArgs == 1 ? "" : "s") + ", got " + n);
        }
        for (String option : spec.options().keySet()) {
            if (!known.contains(option)) {
                throw error("unknown option '" + option + "'"
                        + (known.isEmpty() ? "; it takes none" : "; known options: " + String.join(", ", new TreeSet<>(known))));
            }
        }
    }

    /** A DataException whose message starts with the spec's origin and kind. */
    DataException error(String message) {
        return new DataException(prefix(spec) + message);
    }

    static String prefix(DataSpec spec) {
        String origin = spec.origin() == null || spec.origin().isEmpty() ? "" : spec.origin() + ": ";
        return origin + spec.kind() + ": ";
    }

    boolean has(String option) { return spec.options().containsKey(option); }

    double number(String option, double defaultValue) {
        Object v = spec.options().get(option);
        if (v == null) return defaultValue;
        if (v instanceof Number n && !Double.isNaN(n.doubleValue())) return n.doubleValue();
        throw error("option '" + option + "' must be a number, got " + describe(v));
    }

    double nonNegative(String option, double defaultValue) {
        double v = number(option, defaultValue);
        if (v < 0 || Double.isInfinite(v)) throw error("option '" + option + "' must be a finite number >= 0, got " + v);
        return v;
    }

    int positiveInt(String option, int defaultValue) {
        double v = number(option, defaultValue);
        if (v < 1 || v != Math.rint(v) || v > Integer.MAX_VALUE)
            throw error("option '" + option + "' must be a positive integer, got " + format(v));
        return (int) v;
    }

    String string(int index, String what) {
        Object v = spec.args().get(index);
        if (v instanceof String s && !s.isEmpty()) return s;
        throw error("the " + what + " (argument " + (index + 1) + ") must be a non-empty string, got " + describe(v));
    }

    String stringOption(String option, String defaultValue) {
        Object v = spec.options().get(option);
        if (v == null) return defaultValue;
        if (v instanceof String s && !s.isEmpty()) return s;
        throw error("option '" + option + "' must be a non-empty string, got " + describe(v));
    }

    /** A yes/no option: {@code true}/{@code false} (as written in a train block), else the default. */
    boolean flag(String option, boolean defaultValue) {
        Object v = spec.options().get(option);
        if (v == null) return defaultValue;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) return s.equals("true");
        throw error("option '" + option + "' must be true or false, got " + describe(v));
    }

    List<Object> args() { return spec.args(); }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : v instanceof Number n ? format(n.doubleValue()) : String.valueOf(v);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

package nnc.runtime.train;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny writer of one-line JSON objects, for machine-readable output ({@code --json}). Values may
 * be strings, numbers, booleans, null, nested {@code Json} objects and collections of these.
 * Non-finite numbers (NaN, infinities) are written as {@code null}; keys keep insertion order.
 * <pre>{@code Json.object().put("epoch", 3).put("loss", 0.25).toString()  // {"epoch":3,"loss":0.25}}</pre>
 */
public final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Json() {}

    /** An empty object. */
    public static Json object() { return new Json(); }

    /** Sets {@code key} (replacing an earlier value, keeping its position); returns this. */
    public Json put(String key, Object value) {
        if (key == null) throw new IllegalArgumentException("JSON keys cannot be null");
        if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Json || value instanceof Collection<?>)) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
        fields.put(key, value);
        return this;
    }

    /** The object on one line. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        writeObject(sb);
        return sb.toString();
    }

    private void writeObject(StringBuilder sb) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? d.toString() : "null");
            case Float f -> sb.append(Float.isFinite(f) ? f.toString() : "null");
            case Number n -> sb.append(n instanceof BigDecimal bd ? bd.toString() : numberText(n));
            case Json j -> j.writeObject(sb);
            case Collection<?> c -> {
                sb.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) sb.append(',');
                    first = false;
                    value(sb, o);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private static String numberText(Number n) {
        if (n instanceof Byte || n instanceof Short || n instanceof Integer || n instanceof Long
                || n instanceof BigInteger) return n.toString();
        double d = n.doubleValue();
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}

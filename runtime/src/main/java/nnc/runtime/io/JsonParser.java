package nnc.runtime.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON parser (RFC 8259) for the headers of safetensors files; the runtime depends
 * on nothing but the JDK.
 *
 * <p>Values map to Java as follows: object → unmodifiable {@code Map<String, Object>} in document
 * order, array → unmodifiable {@code List<Object>}, string → {@link String}, integer → {@link Long},
 * any other number → {@link Double}, {@code true}/{@code false} → {@link Boolean}, {@code null} →
 * {@link #NULL}.
 *
 * <p>Strict means: no trailing commas, comments, single quotes, leading zeros, {@code NaN},
 * unescaped control characters or lone surrogates; duplicate keys in an object are an error;
 * nothing but whitespace may follow the value; nesting deeper than {@value #MAX_DEPTH} is refused.
 * Every error is a {@link JsonException} that gives the character offset of the problem.
 */
public final class JsonParser {
    /** How deeply arrays and objects may nest; guards the recursion against hostile input. */
    public static final int MAX_DEPTH = 64;

    /** What a JSON {@code null} parses to (maps and lists cannot hold Java nulls). */
    public static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    private final String text;
    private int pos;

    private JsonParser(String text) { this.text = text; }

    /** Parses {@code text}, which must hold exactly one JSON value surrounded by optional whitespace. */
    public static Object parse(String text) {
        JsonParser p = new JsonParser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("unexpected " + p.describeHere() + " after the value");
        return value;
    }

    private Object value(int depth) {
        if (pos >= text.length()) throw error("unexpected end of input, expected a value");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected " + describeHere() + ", expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') { pos++; return Collections.unmodifiableMap(members); }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("unexpected " + describeHere() + ", expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (members.putIfAbsent(key, v) != null) throw errorAt(keyAt, "duplicate key \"" + key + "\"");
            skipWhitespace();
            char c = peek();
            if (c == ',') { pos++; continue; }
            if (c == '}') { pos++; return Collections.unmodifiableMap(members); }
            throw error("unexpected " + describeHere() + ", expected ',' or '}'");
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') { pos++; return Collections.unmodifiableList(items); }
        while (true) {
            skipWhitespace();
            items.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') { pos++; continue; }
            if (c == ']') { pos++; return Collections.unmodifiableList(items); }
            throw error("unexpected " + describeHere() + ", expected ',' or ']'");
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos);
            if (c == '"') { pos++; break; }
            if (c < 0x20) throw error("control character U+" + String.format("%04X", (int) c) + " in a string (escape it)");
            if (c == '\\') { sb.append(escape()); continue; }
            sb.append(c);
            pos++;
        }
        String s = sb.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) throw error("string holds a lone surrogate U+" + String.format("%04X", (int) c));
        }
        return s;
    }

    private char escape() {
        pos++; // backslash
        if (pos >= text.length()) throw error("unterminated string");
        char e = text.charAt(pos++);
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (pos + 4 > text.length()) throw error("truncated \\u escape");
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(text.charAt(pos + i), 16);
                    if (d < 0) throw error("bad \\u escape: \\u" + text.substring(pos, pos + 4));
                    v = v * 16 + d;
                }
                pos += 4;
                yield (char) v;
            }
            default -> throw errorAt(pos - 2, "bad escape \\" + e);
        };
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw errorAt(start, "number with a leading zero");
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after '.'");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in the exponent");
            while (isDigit(peek())) pos++;
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw errorAt(start, "integer " + s + " does not fit in 64 bits");
            }
        }
        return Double.parseDouble(s);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) throw error("unexpected " + describeHere() + ", expected a value");
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) throw error("unexpected " + describeHere() + ", expected '" + c + "'");
        pos++;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
    }

    /** The current character, or U+0000 at the end (which no rule accepts). */
    private char peek() { return pos < text.length() ? text.charAt(pos) : '\0'; }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private String describeHere() {
        if (pos >= text.length()) return "end of input";
        char c = text.charAt(pos);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
    }

    private JsonException error(String message) { return errorAt(pos, message); }

    private static JsonException errorAt(int offset, String message) {
        return new JsonException(message + " at offset " + offset, offset);
    }

    /** A JSON syntax error; {@link #offset()} is where in the text it was found. */
    public static final class JsonException extends RuntimeException {
        private final int offset;

        JsonException(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        /** The character offset of the problem in the parsed text. */
        public int offset() { return offset; }
    }
}

package nnc.emit.java;

import java.util.Locale;
import java.util.Set;

/**
 * The one way text from outside nnc (file names, model and binding names, data paths, kernel
 * descriptions) reaches generated Java source, so that it can never change the source's meaning.
 * javac decodes {@code \}{@code uXXXX} escapes everywhere, comments included, before it parses: a
 * comment must hold no backslash before {@code u}, no comment delimiters, no line terminators. The
 * comment forms write such characters, control characters and everything outside printable ASCII
 * as visible text ({@code U+00E9}) that javac reads as plain characters; string literals escape
 * them properly; identifiers are mangled, never copied.
 */
public final class JavaText {
    /** Longest identifier {@link #identifier} returns: short enough for any file system ({@code NAME.class}). */
    public static final int MAX_IDENTIFIER = 64;

    /** Keywords, literals and contextual words that cannot name a class (or are reserved for that). */
    private static final Set<String> RESERVED = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "_",
            "var", "yield", "record", "sealed", "permits", "non-sealed", "when", "exports", "module", "open", "opens",
            "provides", "requires", "to", "transitive", "uses", "with");

    private JavaText() {}

    /** {@code s} as text for a {@code //} or block comment: one line of printable ASCII that closes and opens nothing. */
    public static String comment(String s) {
        return escape(s, false);
    }

    /** {@code s} as Javadoc text: as {@link #comment}, but {@code \n} stays a line break (JavaPoet starts each line with {@code *}). */
    public static String javadoc(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepNewlines) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            char after = next < s.length() ? s.charAt(next) : '\0';
            if (cp == '\n' && keepNewlines) sb.append('\n');
            else if (cp < 0x20 || cp >= 0x7F) codePoint(sb, cp);
            else if (cp == '\\' && after == 'u') codePoint(sb, cp); // javac would decode \\uXXXX here
            else if (cp == '*' && (after == '/' || after == '\n' || next == s.length())) sb.append("* "); // never close the comment
            else if (cp == '/') { // never open one, nor close one written before the text
                if (i == 0 || s.charAt(i - 1) == '\n') sb.append(' ');
                sb.append(after == '*' ? "/ " : "/");
            }
            else sb.append((char) cp);
            i = next;
        }
        return sb.toString();
    }

    private static void codePoint(StringBuilder sb, int cp) {
        String hex = Integer.toHexString(cp).toUpperCase(Locale.ROOT);
        sb.append("U+").append("0".repeat(Math.max(0, 4 - hex.length()))).append(hex);
    }

    /**
     * {@code s} as a Java string literal (a constant expression), quotes included, in printable ASCII:
     * {@code \" \\ \n \r \t} and {@code \}{@code uXXXX} for every other character outside
     * {@code 0x20..0x7E}. (JavaPoet's {@code $S} writes U+2028 and U+2029 as a raw line feed, which
     * ends the literal, and other non-ASCII characters as they are.)
     */
    public static String stringLiteral(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7F) sb.append(c);
                    else sb.append(String.format("\\u%04x", (int) c));
                }
            }
            // javac reads on after an escaped surrogate to pair it, and mistakes a following "\\" for an escape: split the literal there
            if (Character.isSurrogate(c) && i + 1 < s.length() && s.charAt(i + 1) == '\\') sb.append("\" + \"");
        }
        return sb.append('"').toString();
    }

    /**
     * A valid Java identifier for {@code name}, deterministically: the name itself when it is an ASCII
     * identifier of at most {@link #MAX_IDENTIFIER} characters that is no keyword; a keyword, literal
     * or contextual word gets a suffix {@code _} ({@code class_}); any other name has its characters
     * outside {@code [A-Za-z0-9_]} replaced by {@code _}, is cut to fit and ends in {@code _} and eight
     * hex digits of a hash of the whole name ({@code a_b_1f3c09d2} for {@code a.b}).
     */
    public static String identifier(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), MAX_IDENTIFIER) + 1);
        boolean changed = name.isEmpty();
        for (int i = 0; i < name.length() && sb.length() <= MAX_IDENTIFIER; i++) {
            char c = name.charAt(i);
            boolean ok = c < 0x80 && (Character.isLetterOrDigit(c) || c == '_');
            sb.append(ok ? c : '_');
            changed |= !ok;
        }
        if (sb.isEmpty() || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
            changed = true;
        }
        if (changed || name.length() > MAX_IDENTIFIER) {
            String hash = hash(name);
            sb.setLength(Math.min(sb.length(), MAX_IDENTIFIER - hash.length() - 1));
            return sb.append('_').append(hash).toString();
        }
        String id = sb.toString();
        return RESERVED.contains(id) ? id + "_" : id;
    }

    /** Eight hex digits of a 64-bit FNV-1a hash of {@code s}'s UTF-16 code units. */
    static String hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return String.format("%08x", (int) (h ^ (h >>> 32)));
    }
}

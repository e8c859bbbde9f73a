package nnc.emit;

/** Names from outside nnc cut to fit where a class file or a message holds them. */
public final class NameLimits {
    /** Longest {@code SourceFile} name {@link #sourceFileName} returns (a file name on disk has at most 255 bytes). */
    public static final int MAX_SOURCE_FILE = 255;

    private NameLimits() {}

    /**
     * A {@code .nn} file name for a class's {@code SourceFile} attribute: the name itself, cut to
     * {@link #MAX_SOURCE_FILE} characters (never between the halves of a surrogate pair), so that
     * the class file's constant (at most 65535 bytes) always holds it.
     */
    public static String sourceFileName(String name) {
        if (name.length() <= MAX_SOURCE_FILE) return name;
        int end = MAX_SOURCE_FILE;
        if (Character.isLowSurrogate(name.charAt(end)) && Character.isHighSurrogate(name.charAt(end - 1))) end--;
        return name.substring(0, end);
    }

    /** {@code s} cut to {@code max} characters with {@code ...} appended when longer (for messages that embed a name). */
    public static String abbreviate(String s, int max) {
        if (s.length() <= max) return s;
        int end = max;
        if (Character.isLowSurrogate(s.charAt(end)) && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "...";
    }
}

package nnc.emit;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits long strings for embedding in a class file, where one string constant holds at most 65535
 * bytes of modified UTF-8 (and javac refuses constants of 65535 chars or more). Generated classes
 * concatenate the pieces at class initialisation.
 */
public final class StringPieces {
    /** Modified-UTF-8 bytes per piece: below both the class-file and the javac limit, with margin. */
    public static final int MAX_PIECE_BYTES = 65_000;

    private StringPieces() {}

    /** Pieces of at most {@link #MAX_PIECE_BYTES} bytes each; one piece (possibly empty) for a short string. */
    public static List<String> split(String s) { return split(s, MAX_PIECE_BYTES); }

    /** Pieces of at most {@code maxBytes} modified-UTF-8 bytes, never splitting a surrogate pair. */
    public static List<String> split(String s, int maxBytes) {
        if (maxBytes < 6) throw new IllegalArgumentException("maxBytes must be at least 6");
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int width = Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
            int b = 0;
            for (int k = i; k < i + width; k++) b += utf8Bytes(s.charAt(k));
            if (bytes + b > maxBytes) {
                pieces.add(s.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += b;
            i += width;
        }
        pieces.add(s.substring(start));
        return pieces;
    }

    /** Bytes of {@code c} in modified UTF-8 (NUL takes two bytes, each surrogate three). */
    public static int utf8Bytes(char c) {
        if (c >= 0x0001 && c <= 0x007F) return 1;
        if (c <= 0x07FF) return 2;
        return 3;
    }
}

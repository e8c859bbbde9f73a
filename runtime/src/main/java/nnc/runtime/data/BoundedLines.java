package nnc.runtime.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import nnc.runtime.Limits;

/**
 * Lines of a text file, each at most {@link Limits#MAX_LINE_CHARS} characters, so a file without
 * line breaks ({@code /dev/zero}, a binary file) cannot fill the heap. Line ends are {@code \n},
 * {@code \r\n} or {@code \r}.
 */
final class BoundedLines {
    private final Reader in;
    private final Path path;
    private final String prefix;
    private final StringBuilder line = new StringBuilder();
    private int lineNo;
    private int pending = -2; // a character read past a '\r', or -2 for none

    BoundedLines(Reader in, Path path, String prefix) {
        this.in = in;
        this.path = path;
        this.prefix = prefix;
    }

    /** The next line without its end, or null at the end of the file. */
    String next() throws IOException {
        line.setLength(0);
        int c = pending != -2 ? pending : in.read();
        pending = -2;
        if (c < 0) return null;
        lineNo++;
        while (c >= 0 && c != '\n' && c != '\r') {
            if (line.length() == Limits.MAX_LINE_CHARS)
                throw new DataException(prefix + path + ":" + lineNo + ": the line is longer than " + Limits.count(Limits.MAX_LINE_CHARS)
                        + " characters, the limit for one line; is it really a CSV file?");
            line.append((char) c);
            c = in.read();
        }
        if (c == '\r') {
            int d = in.read();
            if (d != '\n') pending = d;
        }
        return line.toString();
    }

    /** The 1-based number of the line {@link #next()} returned last. */
    int lineNo() { return lineNo; }
}

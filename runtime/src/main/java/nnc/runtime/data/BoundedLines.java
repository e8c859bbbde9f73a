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
    private final char[] buf = new char[1 << 16];
    private int pos, end;
    private boolean afterCr; // the last line ended with '\r': a '\n' right after it belongs to it
    private final StringBuilder line = new StringBuilder();
    private int lineNo;

    BoundedLines(Reader in, Path path, String prefix) {
        this.in = in;
        this.path = path;
        this.prefix = prefix;
    }

    /** The next line without its end, or null at the end of the file. */
    String next() throws IOException {
        line.setLength(0);
        if (!fill()) return null;
        if (afterCr && buf[pos] == '\n') {
            pos++;
            if (!fill()) return null;
        }
        afterCr = false;
        lineNo++;
        while (fill()) {
            int start = pos;
            while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') pos++;
            if (line.length() + (pos - start) > Limits.MAX_LINE_CHARS)
                throw new DataException(prefix + path + ":" + lineNo + ": the line is longer than " + Limits.count(Limits.MAX_LINE_CHARS)
                        + " characters, the limit for one line; is it really a CSV file?");
            line.append(buf, start, pos - start);
            if (pos < end) {
                afterCr = buf[pos] == '\r';
                pos++;
                return line.toString();
            }
        }
        return line.toString();
    }

    /** True when a character is buffered, reading more if needed. */
    private boolean fill() throws IOException {
        while (pos == end) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) return false;
            pos = 0;
            end = n;
        }
        return true;
    }

    /** The 1-based number of the line {@link #next()} returned last. */
    int lineNo() { return lineNo; }
}

package nnc.diag;

import java.util.List;
import java.util.Objects;

/**
 * A source text and the path it came from, for diagnostics that quote lines. The lines are split
 * once, when first asked for, so quoting many diagnostics of a large file stays linear.
 */
public final class SourceFile {
    private final String path;
    private final String text;
    private List<String> lines;

    public SourceFile(String path, String text) {
        this.path = path;
        this.text = text;
    }

    public String path() { return path; }

    public String text() { return text; }

    public List<String> lines() {
        if (lines == null) lines = text.lines().toList();
        return lines;
    }

    /** Line {@code n} (1-based), or "" past the end. */
    public String line(int n) {
        List<String> ls = lines();
        return n >= 1 && n <= ls.size() ? ls.get(n - 1) : "";
    }

    @Override public boolean equals(Object o) {
        return o instanceof SourceFile s && path.equals(s.path) && text.equals(s.text);
    }

    @Override public int hashCode() { return Objects.hash(path, text); }

    @Override public String toString() { return "SourceFile[path=" + path + ", text=" + text.length() + " chars]"; }
}

package nnc.syntax;

import java.util.List;

/** A source text and the path it came from, for diagnostics that quote lines. */
public record SourceFile(String path, String text) {
    public List<String> lines() { return text.lines().toList(); }

    /** Line {@code n} (1-based), or "" past the end. */
    public String line(int n) {
        List<String> ls = lines();
        return n >= 1 && n <= ls.size() ? ls.get(n - 1) : "";
    }
}

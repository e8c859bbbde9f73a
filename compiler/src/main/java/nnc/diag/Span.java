package nnc.diag;

/** A source range: 1-based line and column of its first character, and of the character after its last. */
public record Span(String file, int line, int column, int endLine, int endColumn) {
    public static Span point(String file, int line, int column) { return new Span(file, line, column, line, column + 1); }

    /** The smallest span covering both. */
    public Span to(Span other) { return new Span(file, line, column, other.endLine, other.endColumn); }

    @Override public String toString() { return file + ":" + line + ":" + column; }
}

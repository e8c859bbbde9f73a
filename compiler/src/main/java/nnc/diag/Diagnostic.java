package nnc.diag;

import java.util.List;

/**
 * A message for the user about their program: where (span), what (message), and optionally how to
 * fix it (hint) and related places (notes). Printed by {@link DiagnosticPrinter} in the style of
 * rustc/clang: {@code file:line:col: error: message}, the source line, a caret under the span.
 */
public record Diagnostic(Severity severity, Span span, String message, String hint, List<Note> notes) {
    public enum Severity { ERROR, WARNING }

    /** Another place worth showing, e.g. where a name was declared. */
    public record Note(Span span, String message) {}

    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public static Diagnostic error(Span span, String message) { return new Diagnostic(Severity.ERROR, span, message, null, List.of()); }

    public static Diagnostic error(Span span, String message, String hint) { return new Diagnostic(Severity.ERROR, span, message, hint, List.of()); }

    public static Diagnostic warning(Span span, String message) { return new Diagnostic(Severity.WARNING, span, message, null, List.of()); }

    public boolean isError() { return severity == Severity.ERROR; }
}

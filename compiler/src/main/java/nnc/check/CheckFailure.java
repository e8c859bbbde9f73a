package nnc.check;

import java.util.List;
import nnc.diag.Diagnostic;
import nnc.diag.Span;

/**
 * Abandons the statement being checked. Carries the diagnostic to report, or none when the cause
 * was reported already (an expression using a name whose own definition failed): one error per
 * statement, and no cascades.
 */
final class CheckFailure extends RuntimeException {
    final transient Diagnostic diagnostic;

    private CheckFailure(Diagnostic diagnostic) {
        super(diagnostic == null ? "already reported" : diagnostic.message(), null, false, false);
        this.diagnostic = diagnostic;
    }

    static CheckFailure error(Span span, String message) { return new CheckFailure(Diagnostic.error(span, message)); }

    static CheckFailure error(Span span, String message, String hint) { return new CheckFailure(Diagnostic.error(span, message, hint)); }

    static CheckFailure error(Span span, String message, String hint, Span noteSpan, String note) {
        return new CheckFailure(new Diagnostic(Diagnostic.Severity.ERROR, span, message, hint, List.of(new Diagnostic.Note(noteSpan, note))));
    }

    static CheckFailure of(Diagnostic d) { return new CheckFailure(d); }

    /** For an expression that depends on something whose error was already reported. */
    static CheckFailure silent() { return new CheckFailure(null); }
}

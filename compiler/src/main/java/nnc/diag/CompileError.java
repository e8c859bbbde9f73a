package nnc.diag;

import java.util.List;

/** Thrown by a stage that found user errors; the CLI prints the diagnostics and exits 1. */
public final class CompileError extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public CompileError(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "compile error" : diagnostics.get(0).span() + ": " + diagnostics.get(0).message());
        this.diagnostics = List.copyOf(diagnostics);
    }

    public CompileError(Diagnostic d) { this(List.of(d)); }

    public List<Diagnostic> diagnostics() { return diagnostics; }
}

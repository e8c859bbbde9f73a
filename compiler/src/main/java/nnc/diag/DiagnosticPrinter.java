package nnc.diag;

import nnc.syntax.SourceFile;

/**
 * Renders a diagnostic for a terminal:
 * <pre>
 * samples/bad.nn:4:22: error: inner dimensions of [batch,2] @ [3,1] differ: 2 vs 3
 *     4 |   output p = sigmoid(x @ w + b)
 *       |                      ^~~~~
 *   hint: ...
 * </pre>
 */
public final class DiagnosticPrinter {
    private DiagnosticPrinter() {}

    public static String render(Diagnostic d, SourceFile source) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.span()).append(": ").append(d.isError() ? "error" : "warning").append(": ").append(d.message()).append('\n');
        quote(sb, d.span(), source);
        for (Diagnostic.Note n : d.notes()) {
            sb.append(n.span()).append(": note: ").append(n.message()).append('\n');
            quote(sb, n.span(), source);
        }
        if (d.hint() != null) sb.append("  hint: ").append(d.hint()).append('\n');
        return sb.toString();
    }

    private static void quote(StringBuilder sb, nnc.syntax.Span span, SourceFile source) {
        if (source == null || span.line() < 1) return;
        String line = source.line(span.line());
        if (line.isEmpty() && span.line() > source.lines().size()) return;
        String no = Integer.toString(span.line());
        String pad = " ".repeat(no.length());
        sb.append(' ').append(no).append(" | ").append(line.replace('\t', ' ')).append('\n');
        int start = Math.max(1, span.column());
        int end = span.endLine() == span.line() ? Math.max(span.endColumn(), start + 1) : line.length() + 1;
        end = Math.min(end, Math.max(line.length() + 1, start + 1));
        sb.append(' ').append(pad).append(" | ").append(" ".repeat(start - 1)).append('^').append("~".repeat(Math.max(0, end - start - 1))).append('\n');
    }
}

package nnc.diag;


/**
 * Renders a diagnostic for a terminal:
 * <pre>
 * samples/bad.nn:4:22: error: inner dimensions of f32[batch,2] @ f32[3,1] differ: 2 vs 3
 *  4 |   output p = sigmoid(x @ w + b)
 *    |                      ^~~~~
 *   hint: ...
 * samples/bad.nn:3:3: note: ...
 *  3 |   ...
 *    |   ^
 * </pre>
 * The hint follows the line it is about; notes (related places) come last, each with its line.
 */
public final class DiagnosticPrinter {
    private DiagnosticPrinter() {}

    public static String render(Diagnostic d, SourceFile source) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.span()).append(": ").append(d.isError() ? "error" : "warning").append(": ").append(d.message()).append('\n');
        quote(sb, d.span(), source);
        if (d.hint() != null) sb.append("  hint: ").append(d.hint()).append('\n');
        for (Diagnostic.Note n : d.notes()) {
            sb.append(n.span()).append(": note: ").append(n.message()).append('\n');
            quote(sb, n.span(), source);
        }
        return sb.toString();
    }

    /** The source line of {@code span} and a caret under its start, {@code ~} under the rest of it on that line. */
    private static void quote(StringBuilder sb, Span span, SourceFile source) {
        if (source == null || span.line() < 1 || span.line() > source.lines().size()) return;
        String line = printable(source.line(span.line()));
        String no = Integer.toString(span.line());
        String pad = " ".repeat(no.length());
        sb.append(' ').append(no).append(" | ").append(line).append('\n');
        int start = Math.min(Math.max(1, span.column()), line.length() + 1);
        int end = span.endLine() == span.line() ? Math.max(span.endColumn(), start + 1) : line.length() + 1;
        end = Math.min(end, Math.max(line.length() + 1, start + 1));
        sb.append(' ').append(pad).append(" | ").append(" ".repeat(start - 1)).append('^')
                .append("~".repeat(Math.max(0, end - start - 1))).append('\n');
    }

    /** Tabs and other control characters as spaces, so that columns still line up with the caret. */
    private static String printable(String line) {
        StringBuilder sb = new StringBuilder(line.length());
        line.chars().forEach(c -> sb.append(Character.isISOControl(c) ? ' ' : (char) c));
        return sb.toString().stripTrailing();
    }
}

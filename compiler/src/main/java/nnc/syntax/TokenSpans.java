package nnc.syntax;

import nnc.diag.Span;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Source spans of ANTLR tokens and parse-tree nodes (1-based columns, end exclusive). */
final class TokenSpans {
    private final String file;

    TokenSpans(String file) { this.file = file; }

    Span of(Token t) {
        int col = t.getCharPositionInLine() + 1;
        if (t.getType() == Token.EOF) return Span.point(file, Math.max(1, t.getLine()), col);
        String text = t.getText() == null ? "" : t.getText();
        int nl = text.lastIndexOf('\n');
        if (nl >= 0) {
            int lines = (int) text.chars().filter(c -> c == '\n').count();
            return new Span(file, t.getLine(), col, t.getLine() + lines, text.length() - nl);
        }
        return new Span(file, t.getLine(), col, t.getLine(), col + Math.max(1, text.length()));
    }

    /** From the first token of {@code ctx} to its last. */
    Span of(ParserRuleContext ctx) {
        Token start = ctx.getStart(), stop = ctx.getStop();
        if (stop == null || stop.getTokenIndex() < start.getTokenIndex()) return of(start);
        return of(start).to(of(stop));
    }

    /** From the first token of {@code a} to the last of {@code b}. */
    Span of(Token a, Token b) { return of(a).to(of(b)); }

    /** The position just after {@code t}: where a missing token would go. */
    Span after(Token t) {
        Span s = of(t);
        return Span.point(file, s.endLine(), s.endColumn());
    }

    String file() { return file; }
}

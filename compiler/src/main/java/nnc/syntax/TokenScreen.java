package nnc.syntax;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import nnc.diag.Diagnostic;
import nnc.diag.Span;
import nnc.grammar.NnLexer;
import org.antlr.v4.runtime.Token;

/**
 * Looks at the token list before parsing: reports the tokens the lexer produced for text that is
 * not part of the language (stray characters, unterminated strings and comments), and bounds what
 * makes the recursive-descent parser recurse (brackets, chains of {@code ^} and prefix {@code -}),
 * so that it does not run out of stack.
 */
final class TokenScreen {
    /** Deeper bracket nesting is refused (a real model never comes close). */
    static final int MAX_NESTING = 128;

    private final TokenSpans spans;

    TokenScreen(TokenSpans spans) { this.spans = spans; }

    /** The first problem among {@code tokens}, if any. */
    Optional<Diagnostic> firstProblem(List<? extends Token> tokens) {
        Deque<Token> open = new ArrayDeque<>();
        int rightNesting = 0;
        Token previous = null;
        for (Token t : tokens) {
            if (nestsToTheRight(t, previous)) {
                if (++rightNesting > AstBuilder.MAX_EXPRESSION_DEPTH)
                    return Optional.of(Diagnostic.error(spans.of(t),
                            "expression is nested too deeply (more than " + AstBuilder.MAX_EXPRESSION_DEPTH + " levels)",
                            "give parts of the expression names: h = ..."));
            } else if (endsExpression(t.getType())) {
                rightNesting = 0;
            }
            if (previous != null && previous.getType() == NnLexer.NUMBER && t.getType() == NnLexer.ID
                    && previous.getStopIndex() + 1 == t.getStartIndex())
                return Optional.of(Diagnostic.error(spans.of(previous).to(spans.of(t)),
                        "a number cannot be followed directly by a name",
                        "write the product with '*': " + previous.getText() + " * " + t.getText()));
            previous = t;
            switch (t.getType()) {
                case NnLexer.BAD_CHAR -> { return Optional.of(badChar(t)); }
                case NnLexer.UNTERMINATED_STRING -> {
                    return Optional.of(Diagnostic.error(spans.of(t), "unterminated string",
                            "a string ends with '\"' on the same line"));
                }
                case NnLexer.UNTERMINATED_COMMENT -> {
                    Span s = spans.of(t);
                    return Optional.of(Diagnostic.error(new Span(s.file(), s.line(), s.column(), s.line(), s.column() + 2),
                            "unterminated comment", "close it with '*/'"));
                }
                case NnLexer.LPAREN, NnLexer.LBRACK, NnLexer.LBRACE -> {
                    open.push(t);
                    if (open.size() > MAX_NESTING)
                        return Optional.of(Diagnostic.error(spans.of(t),
                                "brackets are nested too deeply (more than " + MAX_NESTING + " levels)",
                                "give parts of the expression names: h = ..."));
                }
                case NnLexer.RPAREN, NnLexer.RBRACK, NnLexer.RBRACE -> open.poll();
                default -> { }
            }
        }
        return Optional.empty();
    }

    /** {@code ^} and prefix {@code -}: the parser recurses into the operand on their right. */
    private static boolean nestsToTheRight(Token t, Token previous) {
        if (t.getType() == NnLexer.CARET) return true;
        if (t.getType() != NnLexer.MINUS) return false;
        if (previous == null) return true;
        int p = previous.getType();
        return ExpectedTokens.BINARY_OPERATORS.contains(p) || p == NnLexer.LPAREN || p == NnLexer.COMMA || p == NnLexer.ASSIGN
                || ExpectedTokens.isKeyword(p);
    }

    /** Tokens that end an expression: keywords, braces, and the {@code =} that starts a binding. */
    private static boolean endsExpression(int type) {
        return ExpectedTokens.isKeyword(type) || type == NnLexer.LBRACE || type == NnLexer.RBRACE || type == NnLexer.ASSIGN;
    }

    private Diagnostic badChar(Token t) {
        String text = t.getText();
        int c = text.isEmpty() ? 0 : text.codePointAt(0);
        String hint = switch (c) {
            case ';' -> "statements need no ';': put them on separate lines or side by side";
            case '\'' -> "strings are written in double quotes: \"...\"";
            case '#' -> "comments start with // or are written /* ... */";
            case '.' -> "numbers are written 0.5 or .5; dotted names like h.W have no spaces";
            default -> null;
        };
        return Diagnostic.error(spans.of(t), "unexpected character " + show(c), hint);
    }

    /** A character as the user can read it: 'x', or U+0007 for invisible ones. */
    static String show(int c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isWhitespace(c) || !Character.isDefined(c)
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE
                || Character.getType(c) == Character.PRIVATE_USE)
            return String.format("U+%04X", c);
        return "'" + new String(Character.toChars(c)) + "'";
    }
}

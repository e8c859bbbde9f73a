package nnc.syntax;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import nnc.diag.Diagnostic;
import nnc.diag.Span;
import nnc.grammar.NnLexer;
import nnc.grammar.NnParser;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Stops at the first syntax error and describes it as {@code expected X, found Y}, with the span of
 * the offending token, a note at an unclosed bracket and a hint where the context suggests one.
 * ANTLR's own recovery (and its console messages) are not used: later errors after a bad token are
 * mostly noise.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    /** Carries the diagnostic out of the parser. */
    static final class Failure extends RuntimeException {
        final transient Diagnostic diagnostic;

        Failure(Diagnostic diagnostic) {
            super(diagnostic.message(), null, false, false);
            this.diagnostic = diagnostic;
        }
    }

    private final TokenSpans spans;

    SyntaxErrorStrategy(TokenSpans spans) { this.spans = spans; }

    @Override public void reportError(Parser p, RecognitionException e) {
        Token offending = e.getOffendingToken() != null ? e.getOffendingToken() : p.getCurrentToken();
        IntervalSet expected = e.getOffendingState() >= 0 ? e.getExpectedTokens() : p.getExpectedTokens();
        throw fail(p, offending, expected);
    }

    @Override protected void reportUnwantedToken(Parser p) { throw fail(p, p.getCurrentToken(), p.getExpectedTokens()); }

    @Override protected void reportMissingToken(Parser p) { throw fail(p, p.getCurrentToken(), p.getExpectedTokens()); }

    @Override public void recover(Parser p, RecognitionException e) { throw fail(p, e.getOffendingToken(), e.getExpectedTokens()); }

    private Failure fail(Parser p, Token offending, IntervalSet given) {
        IntervalSet expected = widen(p, given);
        String message = expected == null || expected.isNil()
                ? "unexpected " + ExpectedTokens.found(offending)
                : "expected " + ExpectedTokens.describe(expected) + ", found " + ExpectedTokens.found(offending);
        Span at = offending.getType() == Token.EOF ? afterPrevious(p.getInputStream(), offending) : spans.of(offending);
        List<Diagnostic.Note> notes = unclosedOpener(p.getInputStream(), offending, expected)
                .map(open -> List.of(new Diagnostic.Note(spans.of(open), "to match this " + ExpectedTokens.found(open))))
                .orElse(List.of());
        return new Failure(new Diagnostic(Diagnostic.Severity.ERROR, at, message, hint(p, offending, expected), notes));
    }

    /** At the ')' of an argument list the parser expects only ')', but another argument after ',' fits as well. */
    private static IntervalSet widen(Parser p, IntervalSet expected) {
        ParserRuleContext ctx = p.getContext();
        boolean inArguments = ctx instanceof NnParser.NameOrCallExprContext || ctx instanceof NnParser.ParenExprContext
                || ctx instanceof NnParser.FnDeclContext;
        if (expected == null || !inArguments || !expected.contains(NnLexer.RPAREN) || expected.size() != 1) return expected;
        return IntervalSet.of(NnLexer.RPAREN).or(IntervalSet.of(NnLexer.COMMA));
    }

    private Span afterPrevious(TokenStream in, Token eof) {
        for (int i = eof.getTokenIndex() - 1; i >= 0; i--) {
            Token t = in.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) return spans.after(t);
        }
        return spans.of(eof);
    }

    /** The innermost bracket still open before {@code offending}, if the parser was waiting for its closer. */
    private static Optional<Token> unclosedOpener(TokenStream in, Token offending, IntervalSet expected) {
        if (expected == null || isCloser(offending.getType())) return Optional.empty();
        Token top = innermostOpen(in, offending);
        if (top == null || !expected.contains(closerOf(top.getType()))) return Optional.empty();
        return Optional.of(top);
    }

    private static boolean isCloser(int type) { return type == NnLexer.RPAREN || type == NnLexer.RBRACK || type == NnLexer.RBRACE; }

    private static int openerOf(int closer) {
        return switch (closer) {
            case NnLexer.RPAREN -> NnLexer.LPAREN;
            case NnLexer.RBRACK -> NnLexer.LBRACK;
            default -> NnLexer.LBRACE;
        };
    }

    /** The innermost bracket open before {@code t}, or null. */
    private static Token innermostOpen(TokenStream in, Token t) {
        Deque<Token> open = new ArrayDeque<>();
        for (int i = 0; i < t.getTokenIndex(); i++) {
            Token u = in.get(i);
            if (u.getType() == NnLexer.LPAREN || u.getType() == NnLexer.LBRACK || u.getType() == NnLexer.LBRACE) open.push(u);
            else if (isCloser(u.getType())) open.poll();
        }
        return open.peek();
    }

    private static int closerOf(int opener) {
        return switch (opener) {
            case NnLexer.LPAREN -> NnLexer.RPAREN;
            case NnLexer.LBRACK -> NnLexer.RBRACK;
            default -> NnLexer.RBRACE;
        };
    }

    private static String hint(Parser p, Token offending, IntervalSet expected) {
        if (expected == null) return null;
        int type = offending.getType();
        if (isCloser(type)) {
            Token open = innermostOpen(p.getInputStream(), offending);
            if (open == null || open.getType() != openerOf(type))
                return "this '" + offending.getText() + "' has no matching '" + ExpectedTokens.tokenType(openerOf(type)).replace("'", "") + "'";
        }
        if (expected.contains(NnLexer.ID) && ExpectedTokens.isKeyword(type))
            return "'" + offending.getText() + "' is a keyword and cannot be used as a name";
        if (type != Token.EOF && (expected.toSet().containsAll(ExpectedTokens.STATEMENT_START) || inStatementStart(p, expected)))
            return "a statement starts with input, target, param, output, loss, metric, or NAME =";
        if (expected.toSet().containsAll(ExpectedTokens.TOP_LEVEL_START))
            return "a file holds 'model NAME { ... }' blocks and at most one 'train { ... }' block";
        if (p.getContext() instanceof NnParser.TypeExprContext && expected.contains(NnLexer.LBRACK))
            return "a type is written like f32[batch, 4] or i32[batch]";
        if (type == NnLexer.ASSIGN && within(p.getContext(), NnParser.SettingContext.class))
            return "a train setting is written without '=': batch 32, optimizer sgd(lr = 0.1)";
        return null;
    }

    private static boolean within(ParserRuleContext ctx, Class<? extends ParserRuleContext> kind) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) if (kind.isInstance(c)) return true;
        return false;
    }

    /** {@code relu(x)} as a statement: the parser read a name and wanted '=' next. */
    private static boolean inStatementStart(Parser p, IntervalSet expected) {
        ParserRuleContext ctx = p.getContext();
        return ctx instanceof NnParser.LetStmtContext && expected.contains(NnLexer.ASSIGN) && expected.size() == 1;
    }
}

package nnc.syntax;

import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.diag.Span;
import nnc.grammar.NnLexer;
import nnc.grammar.NnParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;

/**
 * The front door of the syntax stage: source text in, {@link Ast.Program} out. Every problem with
 * the text is reported as a {@link CompileError} carrying diagnostics; nothing else escapes.
 */
public final class Parser {
    private Parser() {}

    public static Ast.Program parse(SourceFile src) {
        TokenSpans spans = new TokenSpans(src.path());
        try {
            NnLexer lexer = new NnLexer(CharStreams.fromString(src.text(), src.path()));
            lexer.removeErrorListeners();
            CommonTokenStream tokens = new CommonTokenStream(lexer);
            tokens.fill();
            new TokenScreen(spans).firstProblem(tokens.getTokens()).ifPresent(d -> {
                throw new CompileError(d);
            });
            NnParser.ProgramContext tree;
            try {
                tree = parser(tokens, spans, PredictionMode.SLL).program();
            } catch (SyntaxErrorStrategy.Failure sllFailed) {
                tokens.seek(0);
                tree = parser(tokens, spans, PredictionMode.LL).program();
            }
            return AstBuilder.build(tree, src);
        } catch (SyntaxErrorStrategy.Failure f) {
            throw new CompileError(f.diagnostic);
        } catch (StackOverflowError e) {
            throw new CompileError(Diagnostic.error(Span.point(src.path(), 1, 1),
                    "the program is nested too deeply to parse", "give parts of long expressions names: h = ..."));
        }
    }

    /**
     * A parser of {@code tokens} that stops at the first error. {@link #parse} tries SLL prediction
     * first, which is cheaper (on a cold start, most of the parse is spent predicting) and gives the
     * same tree as full LL whenever it succeeds; only on an error does it parse again with LL, whose
     * error is the one reported.
     */
    private static NnParser parser(CommonTokenStream tokens, TokenSpans spans, PredictionMode mode) {
        NnParser parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy(spans));
        parser.getInterpreter().setPredictionMode(mode);
        return parser;
    }
}

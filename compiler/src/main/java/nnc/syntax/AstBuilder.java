package nnc.syntax;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.diag.Span;
import nnc.grammar.NnParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Turns an ANTLR parse tree into {@link Ast} records with spans. Reports what the grammar accepts
 * but the language does not: misplaced parentheses and named arguments, dimensions that are not
 * whole numbers, numbers out of range, expressions nested too deeply, and constructs that are
 * parsed already but not supported yet ({@code fn}, {@code scan}).
 */
public final class AstBuilder {
    /** Deeper expression trees are refused, so that no later recursive pass can run out of stack. */
    public static final int MAX_EXPRESSION_DEPTH = 256;

    private final SourceFile source;
    private final TokenSpans spans;
    private final List<Diagnostic> errors = new ArrayList<>();
    private int depth;

    private AstBuilder(SourceFile source) {
        this.source = source;
        this.spans = new TokenSpans(source.path());
    }

    /** The AST of {@code tree}, or a {@link CompileError} with every problem found. */
    public static Ast.Program build(NnParser.ProgramContext tree, SourceFile source) {
        AstBuilder b = new AstBuilder(source);
        Ast.Program p;
        try {
            p = b.program(tree);
        } catch (TooDeep e) {
            b.errors.add(e.diagnostic);
            p = null;
        }
        if (!b.errors.isEmpty()) throw new CompileError(b.errors);
        return p;
    }

    private static final class TooDeep extends RuntimeException {
        final transient Diagnostic diagnostic;

        TooDeep(Diagnostic d) {
            super(d.message(), null, false, false);
            this.diagnostic = d;
        }
    }

    private Ast.Program program(NnParser.ProgramContext ctx) {
        List<Ast.ModelDecl> models = new ArrayList<>();
        List<Ast.FnDecl> fns = new ArrayList<>();
        Ast.TrainBlock train = null;
        Span firstTrain = null;
        for (NnParser.TopDeclContext top : ctx.topDecl()) {
            if (top.modelDecl() != null) models.add(model(top.modelDecl()));
            else if (top.trainBlock() != null) {
                Span keyword = spans.of(top.trainBlock().TRAIN().getSymbol());
                Ast.TrainBlock t = train(top.trainBlock());
                if (train == null) {
                    train = t;
                    firstTrain = keyword;
                } else {
                    errors.add(new Diagnostic(Diagnostic.Severity.ERROR, keyword, "a file has at most one train block",
                            "merge the settings into the first block", List.of(new Diagnostic.Note(firstTrain, "the first train block is here"))));
                }
            } else {
                fns.add(fn(top.fnDecl()));
            }
        }
        return new Ast.Program(source, models, fns, train);
    }

    private Ast.FnDecl fn(NnParser.FnDeclContext ctx) {
        List<Ast.FnParam> params = new ArrayList<>();
        for (NnParser.FnParamContext p : ctx.fnParam()) params.add(fnParam(p));
        List<Ast.LetDecl> body = new ArrayList<>();
        for (NnParser.StmtContext s : ctx.stmt()) {
            if (s instanceof NnParser.LetStmtContext let && let.OUTPUT() == null) {
                body.add((Ast.LetDecl) stmt(s));
            } else {
                errors.add(Diagnostic.error(spans.of(s.getStart()), "a fn body holds bindings (name = expression) and one return",
                        s instanceof NnParser.LetStmtContext ? "outputs are declared in the model: output h = f(x)"
                                : "inputs, targets, parameters, the loss and metrics belong to the model; pass tensors as fn parameters"));
            }
        }
        return new Ast.FnDecl(ctx.name.getText(), params, ctx.result == null ? null : type(ctx.result), body, expr(ctx.value),
                spans.of(ctx), spans.of(ctx.name));
    }

    private Ast.FnParam fnParam(NnParser.FnParamContext ctx) {
        NnParser.FnParamTypeContext t = ctx.fnParamType();
        Span span = spans.of(ctx);
        String dtype = t.dtype.getText();
        Ast.TypeExpr type;
        if (dtype.equals("int")) {
            if (t.LBRACK() != null) errors.add(Diagnostic.error(spans.of(t), "an int parameter is a single whole number: write " + ctx.name.getText() + ": int"));
            type = null;
        } else {
            List<Ast.DimExpr> dims = new ArrayList<>();
            for (NnParser.DimContext d : t.dim()) dims.add(dim(d));
            type = new Ast.TypeExpr(dtype, dims, spans.of(t));
        }
        return new Ast.FnParam(ctx.name.getText(), type, span, spans.of(ctx.name));
    }

    private Ast.ModelDecl model(NnParser.ModelDeclContext ctx) {
        List<Ast.Stmt> body = new ArrayList<>();
        for (NnParser.StmtContext s : ctx.stmt()) body.add(stmt(s));
        return new Ast.ModelDecl(ctx.name.getText(), body, spans.of(ctx), spans.of(ctx.name));
    }

    private Ast.Stmt stmt(NnParser.StmtContext ctx) {
        Span span = spans.of(ctx);
        if (ctx instanceof NnParser.InputStmtContext s) return new Ast.InputDecl(s.name.getText(), s.kind.getType() == NnParser.TARGET, type(s.typeExpr()), span, spans.of(s.name));
        if (ctx instanceof NnParser.ParamStmtContext s) return new Ast.ParamDecl(s.name.getText(), type(s.typeExpr()), s.init == null ? null : expr(s.init), span, spans.of(s.name));
        if (ctx instanceof NnParser.LetStmtContext s) return new Ast.LetDecl(s.name.getText(), expr(s.value), s.OUTPUT() != null, span, spans.of(s.name));
        if (ctx instanceof NnParser.LossStmtContext s) return new Ast.LossDecl(expr(s.value), span);
        if (ctx instanceof NnParser.MetricStmtContext s) return new Ast.MetricDecl(expr(s.value), span);
        throw new IllegalStateException("unknown statement " + ctx.getClass().getSimpleName());
    }

    private Ast.TypeExpr type(NnParser.TypeExprContext ctx) {
        List<Ast.DimExpr> dims = new ArrayList<>();
        for (NnParser.DimContext d : ctx.dim()) dims.add(dim(d));
        return new Ast.TypeExpr(ctx.dtype.getText(), dims, spans.of(ctx));
    }

    private Ast.DimExpr dim(NnParser.DimContext ctx) {
        Span span = spans.of(ctx);
        if (ctx.ID() != null) return new Ast.DimExpr(ctx.ID().getText(), 0, span);
        String text = ctx.NUMBER().getText();
        if (!text.chars().allMatch(Character::isDigit)) {
            errors.add(Diagnostic.error(span, "a dimension must be a whole number, got " + text));
            return new Ast.DimExpr(null, 1, span);
        }
        BigInteger n = new BigInteger(text);
        if (n.bitLength() >= Long.SIZE) {
            errors.add(Diagnostic.error(span, "dimension " + n + " is too large (at most " + Integer.MAX_VALUE + ")"));
            return new Ast.DimExpr(null, 1, span);
        }
        return new Ast.DimExpr(null, n.longValue(), span);
    }

    private Ast.TrainBlock train(NnParser.TrainBlockContext ctx) {
        List<Ast.TrainSetting> settings = new ArrayList<>();
        for (NnParser.SettingContext s : ctx.setting()) settings.add(setting(s));
        return new Ast.TrainBlock(settings, spans.of(ctx));
    }

    private Ast.TrainSetting setting(NnParser.SettingContext ctx) {
        String key = ctx.key.getText();
        Span keySpan = spans.of(ctx.key);
        Ast.Expr value = ctx.value instanceof NnParser.ParenExprContext p
                ? new Ast.Call(key, args(p.argList()), spans.of(ctx), keySpan)
                : expr(ctx.value);
        return new Ast.TrainSetting(key, value, spans.of(ctx), keySpan);
    }

    private Ast.Expr expr(NnParser.ExprContext ctx) {
        if (++depth > MAX_EXPRESSION_DEPTH)
            throw new TooDeep(Diagnostic.error(spans.of(ctx.getStart()),
                    "expression is nested too deeply (more than " + MAX_EXPRESSION_DEPTH + " levels)",
                    "give parts of the expression names: h = ..."));
        try {
            return exprAtDepth(ctx);
        } finally {
            depth--;
        }
    }

    private Ast.Expr exprAtDepth(NnParser.ExprContext ctx) {
        Span span = spans.of(ctx);
        if (ctx instanceof NnParser.NumberExprContext n) return number(n.NUMBER().getSymbol());
        if (ctx instanceof NnParser.StringExprContext s) return new Ast.StringLit(unquote(s.STRING().getText()), span);
        if (ctx instanceof NnParser.NameOrCallExprContext n) return n.LPAREN() == null
                ? new Ast.NameRef(n.name.getText(), span)
                : new Ast.Call(n.name.getText(), args(n.argList()), span, spans.of(n.name));
        if (ctx instanceof NnParser.NegateExprContext n) return new Ast.Negate(expr(n.expr()), span);
        if (ctx instanceof NnParser.PowerExprContext b) return binary(b.op, b.expr(0), b.expr(1), span);
        if (ctx instanceof NnParser.MulExprContext b) return binary(b.op, b.expr(0), b.expr(1), span);
        if (ctx instanceof NnParser.AddExprContext b) return binary(b.op, b.expr(0), b.expr(1), span);
        if (ctx instanceof NnParser.CompareExprContext b) {
            if (b.expr(0) instanceof NnParser.CompareExprContext inner)
                errors.add(Diagnostic.error(spans.of(b.op), "comparisons cannot be chained",
                        "compare two values at a time and multiply the 0/1 results: (a < b) * (b < c)"));
            return binary(b.op, b.expr(0), b.expr(1), span);
        }
        if (ctx instanceof NnParser.ParenExprContext p) return parenthesised(p, span);
        if (ctx instanceof NnParser.ScanExprContext s) return scan(s, span);
        if (ctx instanceof NnParser.IndexExprContext x) {
            List<Ast.IndexItem> items = new ArrayList<>();
            for (NnParser.IndexContext i : x.index()) items.add(indexItem(i));
            return new Ast.Index(expr(x.expr()), items, span);
        }
        throw new IllegalStateException("unknown expression " + ctx.getClass().getSimpleName());
    }

    /** {@code ...}, {@code i}, or {@code start:stop:step} with each part optional. */
    private Ast.IndexItem indexItem(NnParser.IndexContext i) {
        Span span = spans.of(i);
        if (i.ELLIPSIS() != null) return new Ast.IndexItem(true, null, null, null, null, span);
        NnParser.SliceRestContext rest = i.sliceRest();
        Ast.Expr first = i.at == null ? null : expr(i.at);
        if (rest == null) return new Ast.IndexItem(false, first, null, null, null, span);
        return new Ast.IndexItem(false, null, first, rest.stop == null ? null : expr(rest.stop), rest.step == null ? null : expr(rest.step), span);
    }

    /** A scan; its body holds bindings only. */
    private Ast.Expr scan(NnParser.ScanExprContext s, Span span) {
        List<Ast.LetDecl> body = new ArrayList<>();
        for (NnParser.StmtContext st : s.stmt()) {
            Ast.Stmt stmt = stmt(st);
            if (stmt instanceof Ast.LetDecl let && !let.output()) body.add(let);
            else if (stmt != null)
                errors.add(Diagnostic.error(spans.of(st.getStart()), "a scan body holds only bindings such as '"
                                + (s.carry != null ? s.carry : s.carries.get(0)).getText() + " = ...'",
                        "declare inputs, params, outputs and the loss outside the scan"));
        }
        List<Token> names = s.carry != null ? List.of(s.carry) : s.carries;
        List<Ast.Expr> inits = new ArrayList<>();
        if (names.size() == 1) inits.add(expr(s.init));
        else if (s.init instanceof NnParser.ParenExprContext p && p.argList() != null && p.argList().arg().size() == names.size())
            for (Ast.Arg a : args(p.argList())) {
                if (a.name() != null) errors.add(Diagnostic.error(a.span(), "'" + a.name() + " = ...' is only allowed in call arguments"));
                inits.add(a.value());
            }
        else {
            String carries = names.stream().map(Token::getText).collect(Collectors.joining(", "));
            errors.add(Diagnostic.error(spans.of(s.init), "a scan with the carries (" + carries + ") starts from one value per carry, in parentheses",
                    "e.g. scan (" + carries + ") = (" + names.stream().map(t -> "zeros(batch, 64)").collect(Collectors.joining(", ")) + ") over ..."));
            for (Token ignored : names) inits.add(new Ast.NameRef("()", spans.of(s.init)));
        }
        List<Ast.Carry> carries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) carries.add(new Ast.Carry(names.get(i).getText(), spans.of(names.get(i)), inits.get(i)));
        return new Ast.Scan(carries, s.elem.getText(), spans.of(s.elem), expr(s.seq), body, span);
    }

    private Ast.Expr binary(Token op, NnParser.ExprContext left, NnParser.ExprContext right, Span span) {
        return new Ast.BinaryExpr(op.getText(), expr(left), expr(right), span, spans.of(op));
    }

    private Ast.Expr number(Token t) {
        String text = t.getText();
        double v = Double.parseDouble(text);
        if (Float.isInfinite((float) v)) // 1e39 would otherwise become an infinity in f32 without a word
            errors.add(Diagnostic.error(spans.of(t), "number " + text + " is too large for f32 (at most " + Float.MAX_VALUE + ")"));
        return new Ast.NumberLit(v, text, spans.of(t));
    }

    /** {@code (x)} is {@code x}, {@code (a, b)} a tuple; named arguments or nothing are errors. */
    private Ast.Expr parenthesised(NnParser.ParenExprContext p, Span span) {
        List<Ast.Arg> args = args(p.argList());
        if (args.size() == 1 && args.get(0).name() == null) return args.get(0).value();
        if (args.size() > 1 && args.stream().allMatch(a -> a.name() == null)) return new Ast.Tuple(args.stream().map(Ast.Arg::value).toList(), span);
        if (args.isEmpty()) errors.add(Diagnostic.error(span, "empty parentheses", "write an expression inside them"));
        else if (args.size() > 1)
            errors.add(Diagnostic.error(span, "parentheses hold a single expression or a tuple of values, not named arguments", "did you forget a function name before '('?"));
        else errors.add(Diagnostic.error(args.get(0).span(), "'" + args.get(0).name() + " = ...' is only allowed in call arguments"));
        return args.isEmpty() ? new Ast.NameRef("()", span) : args.get(0).value();
    }

    private Ast.Expr unsupported(ParserRuleContext ctx, String message) {
        errors.add(Diagnostic.error(spans.of(ctx.getStart()), message));
        return new Ast.NameRef(ctx.getStart().getText(), spans.of(ctx));
    }

    private List<Ast.Arg> args(NnParser.ArgListContext ctx) {
        List<Ast.Arg> out = new ArrayList<>();
        if (ctx == null) return out;
        for (NnParser.ArgContext a : ctx.arg()) {
            Span span = spans.of(a);
            if (a.second == null && a.lossWord == null) {
                out.add(new Ast.Arg(null, argValue(a.first), span));
                continue;
            }
            // `monitor = loss`: the keyword as a plain name (what it names is the reader's business)
            Ast.Expr value = a.lossWord != null ? new Ast.NameRef(a.lossWord.getText(), spans.of(a.lossWord)) : argValue(a.second);
            if (a.first instanceof NnParser.NameOrCallExprContext n && n.LPAREN() == null && !n.name.getText().contains(".")) {
                out.add(new Ast.Arg(n.name.getText(), value, span));
            } else {
                errors.add(Diagnostic.error(spans.of(a.first), "a named argument needs a plain name before '='",
                        "write name = value, e.g. units = 10"));
                out.add(new Ast.Arg(null, value, span));
            }
        }
        return out;
    }

    /** An argument's value: {@code (a, b, ...)} of two or more plain expressions is a tuple there, else an expression. */
    private Ast.Expr argValue(NnParser.ExprContext ctx) {
        if (ctx instanceof NnParser.ParenExprContext p && p.argList() != null && p.argList().arg().size() > 1
                && p.argList().arg().stream().allMatch(a -> a.second == null && a.lossWord == null)) {
            List<Ast.Expr> items = new ArrayList<>();
            for (NnParser.ArgContext a : p.argList().arg()) items.add(expr(a.first));
            return new Ast.Tuple(items, spans.of(ctx));
        }
        return expr(ctx);
    }

    /** The contents of a string literal: quotes removed, {@code \"} {@code \\} {@code \n} {@code \t} decoded. */
    static String unquote(String literal) {
        String body = literal.substring(1, literal.length() - 1);
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                sb.append(c);
                continue;
            }
            char n = body.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case '"', '\\' -> sb.append(n);
                default -> sb.append('\\').append(n);
            }
        }
        return sb.toString();
    }
}

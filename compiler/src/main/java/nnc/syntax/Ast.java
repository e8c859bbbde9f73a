package nnc.syntax;

import java.util.List;
import nnc.diag.SourceFile;
import nnc.diag.Span;

/**
 * The abstract syntax of a {@code .nn} file, with source spans. Built from the ANTLR parse tree by
 * {@code AstBuilder}; read by the checker and by lowering. Records only: no behaviour here.
 */
public final class Ast {
    private Ast() {}

    /** A whole file: its models, its user functions and the optional train block. */
    public record Program(SourceFile source, List<ModelDecl> models, List<FnDecl> fns, TrainBlock train) {
        public Program(SourceFile source, List<ModelDecl> models, TrainBlock train) { this(source, models, List.of(), train); }
    }

    /**
     * {@code fn residual(z: f32[batch, d]) -> f32[batch, d] { h = ...  return ... }}: parameters, an
     * optional result type, local bindings and the returned expression. {@code result} may be null.
     */
    public record FnDecl(String name, List<FnParam> params, TypeExpr result, List<LetDecl> body, Expr returned, Span span, Span nameSpan) {}

    /**
     * A parameter of a fn: a tensor ({@code z: f32[batch, d]}, dims may be symbols bound at the call)
     * or an integer ({@code heads: int}, then {@code type} is null).
     */
    public record FnParam(String name, TypeExpr type, Span span, Span nameSpan) {
        public boolean isInt() { return type == null; }
    }

    public record ModelDecl(String name, List<Stmt> body, Span span, Span nameSpan) {}

    public sealed interface Stmt {
        Span span();
    }

    /** A statement that declares a name: an input, a parameter or a binding. */
    public sealed interface Declaration extends Stmt {
        String name();

        Span nameSpan();
    }

    /** {@code input x: f32[batch, 2]} or {@code target y: i32[batch]}. */
    public record InputDecl(String name, boolean target, TypeExpr type, Span span, Span nameSpan) implements Declaration {}

    /** {@code param w: f32[4, 1] = zeros}; {@code init} may be null (then xavier for matrices, zeros otherwise). */
    public record ParamDecl(String name, TypeExpr type, Expr init, Span span, Span nameSpan) implements Declaration {}

    /** {@code h = expr} or {@code output p = expr}. */
    public record LetDecl(String name, Expr value, boolean output, Span span, Span nameSpan) implements Declaration {}

    /** {@code loss expr}. */
    public record LossDecl(Expr value, Span span) implements Stmt {}

    /** {@code metric accuracy(logits, y)}. */
    public record MetricDecl(Expr value, Span span) implements Stmt {}

    /** {@code f32[batch, 784]}. */
    public record TypeExpr(String dtype, List<DimExpr> dims, Span span) {}

    /** A dimension in a type: a size, or a symbol such as {@code batch} (then {@code symbol != null}). */
    public record DimExpr(String symbol, long size, Span span) {}

    public sealed interface Expr {
        Span span();
    }

    /** {@code 1e-3}; {@code text} as written. */
    public record NumberLit(double value, String text, Span span) implements Expr {}

    public record StringLit(String value, Span span) implements Expr {}

    /** A name, possibly dotted ({@code h1.W}). {@code true}/{@code false} are names too. */
    public record NameRef(String name, Span span) implements Expr {}

    /** Prefix minus. */
    public record Negate(Expr operand, Span span) implements Expr {}

    /** {@code op} is one of {@code + - * / ^ @} or a comparison {@code > >= < <= ==} (f32 1 or 0). */
    public record BinaryExpr(String op, Expr left, Expr right, Span span, Span opSpan) implements Expr {}

    /** {@code f(a, b, name = c)}. */
    public record Call(String callee, List<Arg> args, Span span, Span calleeSpan) implements Expr {}

    /**
     * {@code scan carry = init over element in sequence { body }}, or with several carries
     * {@code scan (h, c) = (h0, c0) over …}: a loop over the time axis of {@code sequence}; each step
     * binds {@code element} to the sequence at that step and runs the body, whose last binding of
     * each carry is that carry in the next step. The value is the first carry after every step,
     * stacked along the time axis.
     */
    public record Scan(List<Carry> carries, String element, Span elementSpan, Expr sequence, List<LetDecl> body, Span span) implements Expr {
        /** The first carry, whose steps are the scan's value. */
        public Carry first() { return carries.get(0); }
    }

    /** One carry of a scan: its name and its value before the first step. */
    public record Carry(String name, Span span, Expr init) {}

    /**
     * {@code (0, 1)}: a tuple of constants, only valid as a call's argument ({@code sum(x, axis = (0, 1))},
     * {@code kernel = (3, 5)}); the checker refuses it anywhere else.
     */
    public record Tuple(List<Expr> items, Span span) implements Expr {}

    /** {@code x[i, a:b, ..., ::s]}: indexing and basic slicing, one item per axis (or {@code ...}). */
    public record Index(Expr target, List<IndexItem> items, Span span) implements Expr {}

    /**
     * One item of an index: {@code ...} ({@code ellipsis}), an index {@code at} (which drops the axis),
     * or a slice {@code start:stop:step} whose parts may be null (omitted).
     */
    public record IndexItem(boolean ellipsis, Expr at, Expr start, Expr stop, Expr step, Span span) {
        public boolean isSlice() { return !ellipsis && at == null; }
    }

    /** A call argument; {@code name} is null when positional. */
    public record Arg(String name, Expr value, Span span) {}

    public record TrainBlock(List<TrainSetting> settings, Span span) {}

    /**
     * One line of a train block: {@code batch 10} (key "batch", value the number), {@code data
     * circles(n = 1000)} (value the call), or a bare call {@code early_stopping(patience = 3)}
     * (key "early_stopping", value the call itself).
     */
    public record TrainSetting(String key, Expr value, Span span, Span keySpan) {}
}

package nnc.check;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import nnc.diag.Span;
import nnc.optim.TrainConfig;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.TensorType;

/**
 * A model that passed the checker: every name resolved, every expression typed, every parameter
 * (declared or created by a layer call) known with its shape and initialiser. Lowering reads this
 * and never re-checks.
 *
 * @param types    the type of every expression of the model body (identity map over AST nodes)
 * @param calls    every call of a builtin, resolved (identity map over AST call nodes)
 * @param metrics  metric specs, {@code accuracy:OUTPUT:TARGET}
 * @param train    the train block's settings, resolved once: {@link TrainConfig#defaults()} where the
 *                 file has no train block (never null)
 * @param inlined  every call of a user fn, expanded (identity map over AST call nodes)
 */
public record CheckedModel(
        Ast.Program program,
        Ast.ModelDecl decl,
        List<Value> inputs,
        List<Value> targets,
        List<Param> params,
        List<Value> outputs,
        Ast.Expr loss,
        List<String> metrics,
        Map<Ast.Expr, TensorType> types,
        Map<Ast.Call, ResolvedCall> calls,
        TrainConfig train,
        Map<Ast.Call, InlinedCall> inlined) {

    public CheckedModel {
        if (train == null) train = TrainConfig.defaults();
    }

    /**
     * A call of a user fn, expanded at its call site: the fn's tensor parameters bound to the call's
     * argument expressions, then the body's bindings (copied for this call, int parameters and
     * dimension symbols replaced by their numbers), then the returned expression. Every expression
     * inside is typed in {@link #types()}; its layer calls own parameters named after the call site.
     */
    public record InlinedCall(String fn, List<String> params, List<Ast.Expr> args, List<Ast.LetDecl> body, Ast.Expr returned) {}

    /** An input, target, or output binding. */
    public record Value(String name, TensorType type, Span span) {}

    /** A parameter: declared with {@code param}, or created by a layer call ({@code h1.W}). */
    public record Param(String name, TensorType type, Init init, Span span) {}

    /**
     * A builtin call after argument matching.
     *
     * @param builtin  the builtin's name ({@code dense}, {@code relu}, {@code cross_entropy}, ...)
     * @param tensors  tensor arguments in the builtin's parameter order
     * @param options  non-tensor arguments by parameter name (numbers as Double, names/strings as String)
     * @param params   parameters the call owns, by role ({@code W} → {@code h1.W}, {@code b} → {@code h1.b})
     */
    public record ResolvedCall(String builtin, List<Ast.Expr> tensors, Map<String, Object> options, Map<String, String> params) {}

    public TensorType typeOf(Ast.Expr e) {
        TensorType t = types.get(e);
        if (t == null) throw new IllegalStateException("untyped expression at " + e.span());
        return t;
    }

    public static <K, V> Map<K, V> identityMap() { return new IdentityHashMap<>(); }
}

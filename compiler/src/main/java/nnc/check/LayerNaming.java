package nnc.check;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import nnc.builtins.Builtin;
import nnc.builtins.Builtins;
import nnc.syntax.Ast;

/**
 * Names the parameters of layer calls after the statement that holds them: in {@code h = dense(x, 3)}
 * the call owns {@code h.W} and {@code h.b}; with several layer calls in one statement they are
 * numbered per builtin in evaluation order (innermost, then leftmost, first): {@code h.dense1.W},
 * {@code h.dense2.W}. Calls in {@code loss} and {@code metric} lines use those words as the prefix.
 * A call of a user fn counts as a layer call: {@code h = residual(residual(dense(x, 64)))} names
 * {@code h.dense1}, {@code h.residual1} (the inner call), {@code h.residual2}; inside the fn, a
 * binding {@code q = dense(x, d)} owns {@code h.residual1.q.W} and the returned expression's layers
 * are named after the call itself ({@code h.residual1.dense1.W}, or {@code h.residual1.W} when it has one).
 */
final class LayerNaming {
    private final String prefix;
    private final int layerCalls;
    private final Map<String, Integer> counters = new HashMap<>();

    private final Predicate<String> isFn;

    /** @param isFn whether a callee is a user fn: a call of one counts as a layer call (it may own parameters) */
    LayerNaming(String prefix, Ast.Expr root, Predicate<String> isFn) {
        this.prefix = prefix;
        this.isFn = isFn;
        this.layerCalls = countLayerCalls(root);
    }

    /** The statement's prefix ({@code h}). */
    String prefix() { return prefix; }

    /** The name prefix of the next call of {@code builtin}: {@code h} or {@code h.dense2}. */
    String next(String builtin) {
        int n = counters.merge(builtin, 1, Integer::sum);
        return layerCalls <= 1 ? prefix : prefix + "." + builtin + n;
    }

    private int countLayerCalls(Ast.Expr e) {
        if (e instanceof Ast.Call c) {
            int n = isFn.test(c.callee()) || Builtins.lookup(c.callee()).filter(Builtin::createsParams).isPresent() ? 1 : 0;
            for (Ast.Arg a : c.args()) n += countLayerCalls(a.value());
            return n;
        }
        if (e instanceof Ast.BinaryExpr b) return countLayerCalls(b.left()) + countLayerCalls(b.right());
        if (e instanceof Ast.Negate n) return countLayerCalls(n.operand());
        if (e instanceof Ast.Tuple) return 0;
        if (e instanceof Ast.Index x) return countLayerCalls(x.target());
        if (e instanceof Ast.Scan s) return s.carries().stream().mapToInt(c -> countLayerCalls(c.init())).sum() + countLayerCalls(s.sequence()); // the body's statements are named on their own
        return 0;
    }
}

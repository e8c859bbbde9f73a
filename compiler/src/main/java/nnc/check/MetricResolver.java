package nnc.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import nnc.check.CheckedModel.ResolvedCall;
import nnc.runtime.DType;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.TensorType;

/**
 * Metric lines ({@code metric accuracy(logits, y)}, {@code metric top_k(logits, y, k = 5)}) and the
 * default metric, as the specs the training loop reads: {@code accuracy:OUTPUT:TARGET:THRESHOLD}
 * and {@code topk:OUTPUT:TARGET:K}. The threshold (0.5 when the output is a {@code sigmoid(...)},
 * else 0) splits single-column outputs into two classes; outputs with several columns are compared
 * by argmax. Top-k needs several columns: the true class must be among the k highest scores.
 */
final class MetricResolver {
    static final Set<String> METRICS = Set.of("accuracy", "top_k");
    private static final Set<String> CLASSIFICATION_LOSSES = Set.of("bce", "bce_with_logits", "cross_entropy");

    /** A resolved metric: the binding it reads (exported as an output) and its spec. */
    record Metric(Scope.Symbol output, String spec) {}

    private final Scope scope;
    private final ExprTyper typer;
    private final Map<Ast.Expr, TensorType> types;
    private final Map<Ast.Call, ResolvedCall> calls;

    MetricResolver(Scope scope, ExprTyper typer, Map<Ast.Expr, TensorType> types, Map<Ast.Call, ResolvedCall> calls) {
        this.scope = scope;
        this.typer = typer;
        this.types = types;
        this.calls = calls;
    }

    Metric explicit(Ast.MetricDecl decl) {
        if (!(decl.value() instanceof Ast.Call c))
            throw CheckFailure.error(decl.value().span(), "a metric is a call such as accuracy(logits, y)");
        if (!METRICS.contains(c.callee()))
            throw CheckFailure.error(c.calleeSpan(), "unknown metric '" + c.callee() + "'",
                    TypeResolver.hintOr(Suggest.didYouMean(c.callee(), METRICS), "the metrics are: " + String.join(", ", METRICS)));
        if (c.callee().equals("top_k")) return topK(c);
        if (c.args().size() != 2 || c.args().stream().anyMatch(a -> a.name() != null))
            throw CheckFailure.error(c.span(), "accuracy takes two arguments: accuracy(output, target)", "e.g. metric accuracy(logits, y)");
        Ast.Expr outExpr = c.args().get(0).value(), targetExpr = c.args().get(1).value();
        Scope.Symbol out = named(outExpr, "its first argument must name a binding of the model, e.g. accuracy(logits, y)");
        Scope.Symbol target = named(targetExpr, "its second argument must name a target of the model");
        if (!out.isBinding())
            throw CheckFailure.error(outExpr.span(), "accuracy needs a value computed by the model, but '" + out.name + "' is " + article(out.kind.word),
                    "name an output or binding, e.g. accuracy(logits, y)");
        if (target.kind != Scope.Kind.TARGET)
            throw CheckFailure.error(targetExpr.span(), "accuracy compares with a target, but '" + target.name + "' is " + article(target.kind.word), null);
        TensorType outType = typer.type(outExpr), targetType = typer.type(targetExpr);
        if (!comparable(outType, targetType))
            throw CheckFailure.error(c.span(), "accuracy cannot compare " + outType + " with " + targetType,
                    "use scores f32[batch, classes] with class indices i32[batch] (or f32[batch, time, classes] with i32[batch, time]),"
                            + " or an output and a target of the same shape");
        double threshold = threshold(out);
        types.put(c, TensorType.F32_SCALAR);
        calls.put(c, new ResolvedCall("accuracy", List.of(outExpr, targetExpr), Map.of("threshold", threshold), Map.of()));
        return new Metric(out, spec(out.name, target.name, threshold));
    }

    /** {@code top_k(output, target, k = 5)}: several score columns against class indices or one-hot rows. */
    private Metric topK(Ast.Call c) {
        List<Ast.Arg> positional = c.args().stream().filter(a -> a.name() == null).toList();
        List<Ast.Arg> named = c.args().stream().filter(a -> a.name() != null).toList();
        if (positional.size() != 2 || named.stream().anyMatch(a -> !a.name().equals("k")) || named.size() > 1)
            throw CheckFailure.error(c.span(), "top_k takes an output, a target and k: top_k(output, target, k = 5)", "e.g. metric top_k(logits, y, k = 5)");
        Ast.Expr outExpr = positional.get(0).value(), targetExpr = positional.get(1).value();
        Scope.Symbol out = named(outExpr, "its first argument must name a binding of the model, e.g. top_k(logits, y, k = 5)");
        Scope.Symbol target = named(targetExpr, "its second argument must name a target of the model");
        if (!out.isBinding())
            throw CheckFailure.error(outExpr.span(), "top_k needs a value computed by the model, but '" + out.name + "' is " + article(out.kind.word),
                    "name an output or binding, e.g. top_k(logits, y, k = 5)");
        if (target.kind != Scope.Kind.TARGET)
            throw CheckFailure.error(targetExpr.span(), "top_k compares with a target, but '" + target.name + "' is " + article(target.kind.word), null);
        TensorType outType = typer.type(outExpr), targetType = typer.type(targetExpr);
        if (!comparable(outType, targetType) || outType.rank() < 2 || !(outType.shape().dim(outType.rank() - 1) instanceof Dim.Fixed classes))
            throw CheckFailure.error(c.span(), "top_k cannot compare " + outType + " with " + targetType,
                    "use scores f32[batch, classes] with class indices i32[batch] or one-hot rows of the same shape");
        long k = 5;
        if (!named.isEmpty()) {
            Ast.Expr kExpr = named.get(0).value();
            OptionalDouble value = ConstEval.eval(kExpr);
            if (value.isEmpty()) throw CheckFailure.error(kExpr.span(), "k must be a whole number", "e.g. k = 5");
            ConstEval.forEachNode(kExpr, e -> types.put(e, TensorType.F32_SCALAR));
            double v = value.getAsDouble();
            if (v != Math.rint(v) || v < 1)
                throw CheckFailure.error(kExpr.span(), "k must be a whole number of at least 1, got " + ConstEval.show(v), null);
            k = (long) v;
        }
        if (k > classes.size())
            throw CheckFailure.error(c.span(), "top_k with k = " + k + " over only " + classes.size() + " classes is always 1",
                    "pick k below " + classes.size());
        types.put(c, TensorType.F32_SCALAR);
        calls.put(c, new ResolvedCall("top_k", List.of(outExpr, targetExpr), Map.of("k", (double) k), Map.of()));
        return new Metric(out, "topk:" + out.name + ":" + target.name + ":" + k);
    }

    /**
     * The metric of a model without metric lines: accuracy of the first output against the only
     * target, when the target holds class indices or the loss is a classification loss.
     */
    Optional<Metric> byDefault(List<Scope.Symbol> outputs, List<Scope.Symbol> targets, Ast.Expr loss) {
        if (outputs.isEmpty() || targets.size() != 1) return Optional.empty();
        Scope.Symbol out = outputs.get(0), target = targets.get(0);
        if (out.type == null || target.type == null) return Optional.empty();
        boolean indices = target.type.dtype() == DType.I32 && target.type.rank() >= 1;
        if (!indices && (loss == null || !usesClassificationLoss(loss))) return Optional.empty();
        if (!comparable(out.type, target.type)) return Optional.empty();
        return Optional.of(new Metric(out, spec(out.name, target.name, threshold(out))));
    }

    private Scope.Symbol named(Ast.Expr e, String hint) {
        if (!(e instanceof Ast.NameRef n)) throw CheckFailure.error(e.span(), "accuracy takes names, not expressions", hint);
        return scope.resolve(n);
    }

    private static boolean comparable(TensorType out, TensorType target) {
        if (out.dtype() != DType.F32 || out.rank() == 0) return false;
        if (target.dtype() == DType.I32)
            // one class index per position: [batch] for [batch, C], [batch, time] for [batch, time, C]
            return target.rank() >= 1 && out.rank() == target.rank() + 1 && out.shape().without(List.of(out.rank() - 1)).equals(target.shape());
        return out.shape().equals(target.shape());
    }

    private static double threshold(Scope.Symbol out) {
        return out.value instanceof Ast.Call c && c.callee().equals("sigmoid") ? 0.5 : 0;
    }

    private static boolean usesClassificationLoss(Ast.Expr e) {
        if (e instanceof Ast.Call c) return CLASSIFICATION_LOSSES.contains(c.callee())
                || c.args().stream().anyMatch(a -> usesClassificationLoss(a.value()));
        if (e instanceof Ast.BinaryExpr b) return usesClassificationLoss(b.left()) || usesClassificationLoss(b.right());
        if (e instanceof Ast.Negate n) return usesClassificationLoss(n.operand());
        if (e instanceof Ast.Index x) return usesClassificationLoss(x.target());
        return false;
    }

    static String spec(String output, String target, double threshold) {
        return "accuracy:" + output + ":" + target + ":" + ConstEval.show(threshold);
    }

    private static String article(String word) { return (word.matches("[aeiou].*") ? "an " : "a ") + word; }
}

package nnc.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nnc.check.CheckedModel.ResolvedCall;
import nnc.diag.Diagnostic;
import nnc.diag.Span;
import nnc.optim.TrainConfig;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.TensorType;

/**
 * Checks one model body statement by statement, in order: declarations, bindings, the loss and
 * the metrics. An error abandons its statement only, so one run reports one error per broken
 * statement; a model with any error yields no {@link CheckedModel}.
 */
final class ModelChecker {
    private final Ast.Program program;
    private final Ast.ModelDecl decl;
    private final List<Diagnostic> diagnostics;
    private final Map<Ast.Expr, TensorType> types = CheckedModel.identityMap();
    private final Map<Ast.Call, ResolvedCall> calls = CheckedModel.identityMap();
    private final Scope scope;
    private final ExprTyper typer;
    private final MetricResolver metricResolver;
    private final List<CheckedModel.Value> inputs = new ArrayList<>(), targets = new ArrayList<>();
    private final List<CheckedModel.Param> declaredParams = new ArrayList<>(), layerParams = new ArrayList<>();
    private final List<Scope.Symbol> outputSymbols = new ArrayList<>(), targetSymbols = new ArrayList<>();
    private final List<MetricResolver.Metric> metrics = new ArrayList<>();
    private Ast.LossDecl loss;
    private boolean failed;

    private final FnExpander fns;

    private final TimeBinding time;

    ModelChecker(Ast.Program program, Ast.ModelDecl decl, FnTable fnTable, List<Diagnostic> diagnostics, TimeBinding time) {
        this.time = time;
        this.program = program;
        this.decl = decl;
        this.diagnostics = diagnostics;
        this.scope = new Scope(declarations(decl));
        this.fns = new FnExpander(fnTable);
        this.typer = new ExprTyper(scope, types, calls, layerParams::add, fns);
        this.metricResolver = new MetricResolver(scope, typer, types, calls);
    }

    /** The checked model, or empty when it has errors (reported to the diagnostics list). */
    Optional<CheckedModel> check(TrainConfig train) {
        for (Ast.Stmt s : decl.body()) {
            try {
                statement(s);
            } catch (CheckFailure f) {
                failed = true;
                if (f.diagnostic != null) diagnostics.add(f.diagnostic);
                defineAfterFailure(s);
            }
        }
        if (decl.body().stream().noneMatch(Ast.LossDecl.class::isInstance)) {
            failed = true;
            diagnostics.add(Diagnostic.error(decl.nameSpan(), "model '" + decl.name() + "' has no loss",
                    "add a loss line, e.g. loss mse(prediction, target)"));
        }
        if (failed) return Optional.empty();
        warnUnused();
        diagnostics.addAll(fns.warnings());
        if (metrics.isEmpty()) metricResolver.byDefault(outputSymbols, targetSymbols, loss.value()).ifPresent(metrics::add);
        List<CheckedModel.Param> params = new ArrayList<>(declaredParams);
        params.addAll(layerParams);
        return Optional.of(new CheckedModel(program, decl, List.copyOf(inputs), List.copyOf(targets), List.copyOf(params),
                outputs(), loss.value(), metrics.stream().map(MetricResolver.Metric::spec).distinct().toList(), types, calls, train, fns.inlined()));
    }

    private void statement(Ast.Stmt s) {
        if (s instanceof Ast.InputDecl d) {
            declarable(d.name(), d.nameSpan());
            TensorType t = TypeResolver.resolve(d.type(), false, time);
            Scope.Symbol sym = scope.define(d.name(), d.target() ? Scope.Kind.TARGET : Scope.Kind.INPUT, t, d.nameSpan(), null);
            (d.target() ? targets : inputs).add(new CheckedModel.Value(d.name(), t, d.nameSpan()));
            if (d.target()) targetSymbols.add(sym);
        } else if (s instanceof Ast.ParamDecl d) {
            declarable(d.name(), d.nameSpan());
            TensorType t = TypeResolver.resolve(d.type(), true, time);
            Init init = InitResolver.resolve(d, t, types);
            scope.define(d.name(), Scope.Kind.PARAM, t, d.nameSpan(), null);
            declaredParams.add(new CheckedModel.Param(d.name(), t, init, d.span()));
        } else if (s instanceof Ast.LetDecl d) {
            rebindable(d.name(), d.nameSpan());
            // the k-th binding of h names its layers h_k (h.W, then h_2.W): every layer owns its own parameters
            TensorType t = typer.typeStatement(d.value(), scope.nextLayerPrefix(d.name()));
            scope.rebind(d.name(), d.output() ? Scope.Kind.OUTPUT : Scope.Kind.BINDING, t, d.nameSpan(), d.value());
            if (d.output()) outputSymbols.add(scope.get(d.name()));
        } else if (s instanceof Ast.LossDecl d) {
            if (loss != null)
                throw CheckFailure.error(d.span(), "a model has exactly one loss", "add the terms up in one line: loss a + b",
                        loss.span(), "the first loss is here");
            TensorType t = typer.typeStatement(d.value(), "loss");
            if (!t.equals(TensorType.F32_SCALAR))
                throw CheckFailure.error(d.value().span(), "the loss must be a scalar f32[], but this is " + t,
                        "reduce it to one number, e.g. mean(...) or sum(...)");
            loss = d;
        } else if (s instanceof Ast.MetricDecl d) {
            typer.startStatement("metric", d.value());
            metrics.add(metricResolver.explicit(d));
        } else throw new IllegalStateException("unexpected " + s.getClass().getSimpleName());
    }

    /** Declared names are plain: dotted names belong to parameters created by layer calls. */
    private void declarable(String name, Span span) { declarable(name, span, true); }

    private void declarable(String name, Span span, boolean once) {
        if (once) scope.requireFree(name, span);
        if (name.contains("."))
            throw CheckFailure.error(span, "'" + name + "' cannot be declared: dotted names belong to parameters of layer calls",
                    "use a plain name such as " + name.replace('.', '_'));
    }

    /**
     * A binding's name: plain, and free or a binding of an earlier statement that no metric line
     * has read (a metric reads its binding at the end of the step, which would be the new value).
     */
    private void rebindable(String name, Span span) {
        scope.requireRebindable(name, span);
        declarable(name, span, false);
        for (MetricResolver.Metric m : metrics)
            if (m.output().name.equals(name))
                throw CheckFailure.error(span, "'" + name + "' is read by a metric line above and cannot be bound again after it",
                        "give this binding another name, or move the metric line to the end", m.output().span, "'" + name + "' is defined here");
    }

    /** A declaration whose statement failed still defines its name (untyped), so later uses do not cascade. */
    private void defineAfterFailure(Ast.Stmt s) {
        String name = switch (s) {
            case Ast.InputDecl d -> d.name();
            case Ast.ParamDecl d -> d.name();
            case Ast.LetDecl d -> d.name();
            default -> null;
        };
        if (name != null && !scope.isDefined(name)) scope.define(name, Scope.Kind.BINDING, null, s.span(), null);
        else if (s instanceof Ast.LetDecl d && scope.get(name).kind == Scope.Kind.BINDING && !scope.get(name).span.equals(d.nameSpan()))
            scope.rebind(name, Scope.Kind.BINDING, null, d.nameSpan(), null); // later uses of a failed rebinding fail silently
    }

    private List<CheckedModel.Value> outputs() {
        Map<String, CheckedModel.Value> out = new LinkedHashMap<>();
        for (Scope.Symbol s : outputSymbols) out.put(s.name, new CheckedModel.Value(s.name, s.type, s.span));
        for (MetricResolver.Metric m : metrics) out.putIfAbsent(m.output().name, new CheckedModel.Value(m.output().name, m.output().type, m.output().span));
        return List.copyOf(out.values());
    }

    /** Only for models without errors: after an error, "never used" is mostly a consequence of it. */
    private void warnUnused() {
        List<Scope.Symbol> all = new ArrayList<>(scope.shadowed());
        all.addAll(scope.symbols());
        for (Scope.Symbol s : all) {
            if (s.used || s.type == null) continue;
            if (s.kind == Scope.Kind.PARAM)
                diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, s.span, "parameter '" + s.name + "' is never used",
                        "remove it, or use it in an expression", List.of()));
            else if (s.kind == Scope.Kind.BINDING)
                diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, s.span, "'" + s.name + "' is computed but never used",
                        "remove it, or make it an output: output " + s.name + " = ...", List.of()));
        }
    }

    /** Every name the body declares, with the span of its first declaration. */
    private static Map<String, Span> declarations(Ast.ModelDecl decl) {
        Map<String, Span> names = new LinkedHashMap<>();
        for (Ast.Stmt s : decl.body())
            if (s instanceof Ast.Declaration d) names.putIfAbsent(d.name(), d.nameSpan());
        return names;
    }
}

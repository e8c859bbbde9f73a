package nnc.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nnc.builtins.Builtin;
import nnc.builtins.Builtins;
import nnc.check.CheckedModel.ResolvedCall;
import nnc.diag.Span;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Types the expressions of a model body: resolves names, applies broadcasting and the matrix
 * product rule, dispatches calls to {@link Builtins}, and records the type of every node and the
 * resolution of every call.
 */
final class ExprTyper {
    private final Scope scope;
    private final Map<Ast.Expr, TensorType> types;
    private final Map<Ast.Call, ResolvedCall> calls;
    private final CallSite.LayerParams layerSink;
    private final ParamDefiner definer;
    private final FnExpander fns;
    private LayerNaming naming;
    /** True inside a scan body (and in fns expanded there): loops cannot nest. */
    private boolean inScan;

    /**
     * The typer of a model body.
     *
     * @param newParams receives the parameters created by layer calls, already named
     * @param fns       the user functions of the program, expanded at each call
     */
    ExprTyper(Scope scope, Map<Ast.Expr, TensorType> types, Map<Ast.Call, ResolvedCall> calls, ParamSink newParams, FnExpander fns) {
        this(scope, types, calls, (name, type, init, span) -> {
            if (scope.isDefined(name))
                throw CheckFailure.error(span, "the parameter name '" + name + "' is already taken", null, scope.get(name).span, "it is defined here");
            scope.define(name, Scope.Kind.LAYER_PARAM, type, span, null);
            newParams.add(new CheckedModel.Param(name, type, init, span));
        }, fns);
    }

    private ExprTyper(Scope scope, Map<Ast.Expr, TensorType> types, Map<Ast.Call, ResolvedCall> calls, ParamDefiner definer, FnExpander fns) {
        this.scope = scope;
        this.types = types;
        this.calls = calls;
        this.definer = definer;
        this.fns = fns;
        this.layerSink = new CallSite.LayerParams() {
            @Override public String nextPrefix(String builtin) { return naming.next(builtin); }

            @Override public void define(String name, TensorType type, Init init, Span span) { definer.define(name, type, init, span); }
        };
    }

    /** A typer for the body of a fn expanded at a call: its own names, the model's parameters. */
    ExprTyper forFnBody(Scope local) {
        ExprTyper t = new ExprTyper(local, types, calls, definer, fns);
        t.inScan = inScan;
        return t;
    }

    /** A typer for the body of a scan: the scan's own names, the model's parameters. */
    ExprTyper forScanBody(Scope local) {
        ExprTyper t = forFnBody(local);
        t.inScan = true;
        return t;
    }

    /** The layer-call prefix the next call of {@code name} in the current statement gets. */
    String nextLayerPrefix(String name) { return naming.next(name); }

    interface ParamSink {
        void add(CheckedModel.Param p);
    }

    /** Adds a parameter created by a layer call to the model. */
    interface ParamDefiner {
        void define(String name, TensorType type, Init init, Span span);
    }

    /** Types {@code e}, the whole right-hand side of a statement whose layer parameters are named after {@code prefix}. */
    TensorType typeStatement(Ast.Expr e, String prefix) {
        startStatement(prefix, e);
        return type(e);
    }

    /** Starts a statement: layer calls in {@code root} are named after {@code prefix}. */
    void startStatement(String prefix, Ast.Expr root) { naming = new LayerNaming(prefix, root, fns::isFn); }

    TensorType type(Ast.Expr e) {
        TensorType t = typeOf(e);
        TypeResolver.checkElementCount(t, e.span());
        types.put(e, t);
        return t;
    }

    /** The type of {@code e}, neither checked nor recorded. */
    private TensorType typeOf(Ast.Expr e) {
        if (e instanceof Ast.NumberLit) return TensorType.F32_SCALAR;
        if (e instanceof Ast.StringLit s) throw CheckFailure.error(s.span(), "a string is not a tensor",
                "strings name files in the train block, e.g. data idx(\"images.gz\", \"labels.gz\")");
        if (e instanceof Ast.NameRef n) return scope.resolve(n).type;
        if (e instanceof Ast.Negate n) return arithmetic(n.operand(), type(n.operand()), "-");
        if (e instanceof Ast.BinaryExpr b) return binary(b);
        if (e instanceof Ast.Call c) return call(c);
        if (e instanceof Ast.Tuple tuple) throw CheckFailure.error(tuple.span(), "a tuple of " + tuple.items().size() + " values is not a tensor",
                "a tuple is the value of an option, e.g. sum(x, axis = (0, 1)) or kernel = (3, 5); did you forget a function name before '('?");
        if (e instanceof Ast.Index x) return index(x);
        if (e instanceof Ast.Scan s) {
            if (inScan) throw CheckFailure.error(s.span(), "a scan inside a scan body is not supported",
                    "loops do not nest yet; run the inner recurrence as a scan of its own before or after this one");
            return ScanChecker.type(s, this, scope, naming.prefix());
        }
        throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    /** {@code x[...]}: the item constants typed as scalars, the shape from {@link Indexing}. */
    private TensorType index(Ast.Index x) {
        TensorType t = type(x.target());
        if (t.dtype() != DType.F32)
            throw CheckFailure.error(x.target().span(), "only f32 tensors can be indexed, but this one is " + t, "i32 tensors hold class indices");
        for (Ast.IndexItem i : x.items())
            for (Ast.Expr part : new Ast.Expr[] {i.at(), i.start(), i.stop(), i.step()})
                if (part != null) ConstEval.forEachNode(part, e -> types.put(e, TensorType.F32_SCALAR));
        return TensorType.f32(Indexing.plan(x, t.shape()).result());
    }

    private TensorType binary(Ast.BinaryExpr b) {
        TensorType l = arithmetic(b.left(), type(b.left()), b.op());
        TensorType r = arithmetic(b.right(), type(b.right()), b.op());
        if (b.op().equals("@")) return matmul(b, l, r);
        try {
            return TensorType.f32(ShapeRules.broadcast(l.shape(), r.shape()));
        } catch (ShapeError e) {
            throw broadcastError(b, l, r);
        }
    }

    /** i32 tensors hold indices: no arithmetic on them. */
    private TensorType arithmetic(Ast.Expr operand, TensorType t, String op) {
        if (t.dtype() != DType.F32)
            throw CheckFailure.error(operand.span(), (operand instanceof Ast.NameRef n ? "'" + n.name() + "'" : "this operand") + " is " + t
                            + ": i32 tensors cannot be used in arithmetic ('" + op + "')",
                    "i32 tensors hold class indices; pass them to cross_entropy, nll or accuracy");
        return t;
    }

    private CheckFailure broadcastError(Ast.BinaryExpr b, TensorType l, TensorType r) {
        Shape a = l.shape(), c = r.shape();
        int rank = Math.max(a.rank(), c.rank());
        for (int i = rank - 1; i >= 0; i--) {
            int ia = a.rank() - rank + i, ic = c.rank() - rank + i;
            Dim da = ia >= 0 ? a.dim(ia) : Dim.ONE, dc = ic >= 0 ? c.dim(ic) : Dim.ONE;
            if (da.equals(dc) || da.isOne() || dc.isOne()) continue;
            String hint = "shapes are aligned at the last axis, and each pair of dimensions must be equal or 1";
            if (b.right() instanceof Ast.NameRef n && isDeclaredParam(n.name()) && ic >= 0)
                hint = "to fit, declare '" + n.name() + "' as " + TensorType.f32(c.with(ic, da));
            else if (b.left() instanceof Ast.NameRef n && isDeclaredParam(n.name()) && ia >= 0)
                hint = "to fit, declare '" + n.name() + "' as " + TensorType.f32(a.with(ia, dc));
            return CheckFailure.error(b.span(), "shapes " + l + " and " + r + " cannot be broadcast for '" + b.op() + "': "
                    + da + " vs " + dc, hint);
        }
        return CheckFailure.error(b.span(), "shapes " + l + " and " + r + " cannot be broadcast for '" + b.op() + "'");
    }

    private TensorType matmul(Ast.BinaryExpr b, TensorType l, TensorType r) {
        Shape a = l.shape(), c = r.shape();
        if (a.rank() >= 3 && c.rank() == 2) { // [batch, time, d] @ [d, e]: over the last axis
            if (!a.last().equals(c.dim(0)))
                throw CheckFailure.error(b.span(), "inner dimensions of " + l + " @ " + r + " differ: " + a.last() + " vs " + c.dim(0),
                        "the left operand's last dimension must equal the right operand's first");
            return TensorType.f32(a.with(a.rank() - 1, c.dim(1)));
        }
        if (a.rank() >= 3 && c.rank() == a.rank()) return batchedMatmul(b, l, r);
        if (a.rank() != 2 || c.rank() != 2)
            throw CheckFailure.error(b.span(), "'@' multiplies matrices, but got " + l + " @ " + r,
                    "both operands need rank 2, or the left one a sequence ([batch, time, d] @ [d, e]), or both batches of matrices of equal rank ([b, h, t, k] @ [b, h, k, n])"
                            + (a.rank() == 1 || c.rank() == 1 ? "; write a vector of n elements as f32[n, 1] or f32[1, n]" : ""));
        try {
            return TensorType.f32(ShapeRules.matmul(a, c, false, false));
        } catch (ShapeError e) {
            Dim k = a.dim(1), k2 = c.dim(0);
            String hint = "the left operand's last dimension must equal the right operand's first";
            if (c.dim(1).equals(k)) {
                TensorType fits = TensorType.f32(Shape.of(c.dim(1), c.dim(0)));
                hint = "the right operand looks transposed: it is " + r + ", but " + fits + " would fit"
                        + (b.right() instanceof Ast.NameRef n && isDeclaredParam(n.name()) ? "; declare '" + n.name() + "' as " + fits
                        : "; did you mean transpose(" + (b.right() instanceof Ast.NameRef n ? n.name() : "...") + ")?");
            } else if (a.dim(0).equals(k2) && !a.dim(0).equals(Dim.BATCH)) {
                hint = "the left operand looks transposed: it is " + l + ", but " + TensorType.f32(Shape.of(a.dim(1), a.dim(0))) + " would fit"
                        + "; did you mean transpose(" + (b.left() instanceof Ast.NameRef n ? n.name() : "...") + ")?";
            }
            throw CheckFailure.error(b.span(), "inner dimensions of " + l + " @ " + r + " differ: " + k + " vs " + k2, hint);
        }
    }

    /** {@code [b…, m, k] @ [b…, k, n] → [b…, m, n]}: one product per matrix of the equal leading axes. */
    private TensorType batchedMatmul(Ast.BinaryExpr b, TensorType l, TensorType r) {
        try {
            return TensorType.f32(ShapeRules.matmul(l.shape(), r.shape(), false, false));
        } catch (ShapeError e) {
            Shape c = r.shape();
            int n = c.rank();
            String hint = e.hint();
            boolean batchesFit = l.shape().dims().subList(0, n - 2).equals(c.dims().subList(0, n - 2));
            if (batchesFit && c.dim(n - 1).equals(l.shape().last()))
                hint = "the right operand looks transposed: it is " + r + "; did you mean transpose("
                        + (b.right() instanceof Ast.NameRef ref ? ref.name() : "...") + ")?";
            throw CheckFailure.error(b.span(), e.getMessage(), TypeResolver.hintOr(hint,
                    "a batched product [b, h, t, k] @ [b, h, k, n] multiplies the matrices of the last two axes pairwise"));
        }
    }

    private boolean isDeclaredParam(String name) {
        Scope.Symbol s = scope.get(name);
        return s != null && s.kind == Scope.Kind.PARAM;
    }

    private TensorType call(Ast.Call c) {
        if (isPenaltyOfAllParams(c)) {
            Map<String, String> covered = new LinkedHashMap<>();
            for (Scope.Symbol s : scope.symbols())
                if ((s.kind == Scope.Kind.PARAM || s.kind == Scope.Kind.LAYER_PARAM) && s.type != null) {
                    s.used = true;
                    covered.put(s.name, s.name);
                }
            if (covered.isEmpty()) throw CheckFailure.error(c.args().get(0).span(), "the model has no parameters (yet) for " + c.callee() + "(params)",
                    "params stands for every parameter declared or created above this line");
            calls.put(c, new ResolvedCall(c.callee(), List.of(), Map.of(Builtin.ALL_PARAMS, "params"), covered));
            return TensorType.F32_SCALAR;
        }
        if (fns.isFn(c.callee())) return fns.expand(c, this);
        Builtin b = Builtins.lookup(c.callee()).orElseThrow(() -> unknownFunction(c));
        if (inScan && b.runsLoop())
            throw CheckFailure.error(c.calleeSpan(), b.name() + " runs a loop over time, and loops cannot nest inside a scan body",
                    "call " + b.name() + " outside the scan, on the whole sequence");
        CallSite site = CallSite.bind(c, b, this::type, layerSink, types);
        TensorType result = b.rule().apply(site);
        calls.put(c, site.resolved());
        return result;
    }

    /** {@code l1(params)} or {@code l2(params)}, where no binding is called params. */
    private boolean isPenaltyOfAllParams(Ast.Call c) {
        return (c.callee().equals("l1") || c.callee().equals("l2")) && c.args().size() == 1 && c.args().get(0).name() == null
                && c.args().get(0).value() instanceof Ast.NameRef n && n.name().equals("params") && !scope.isDefined("params");
    }

    private CheckFailure unknownFunction(Ast.Call c) {
        String name = c.callee();
        if (MetricResolver.METRICS.contains(name))
            return CheckFailure.error(c.span(), "'" + name + "' is a metric and can only be used in a metric line", "metric " + name + "(logits, y)");
        if (scope.isDefined(name))
            return CheckFailure.error(c.calleeSpan(), "'" + name + "' is a " + scope.get(name).kind.word + ", not a function",
                    "only builtin functions and fns can be called");
        Set<String> known = new TreeSet<>(Builtins.names());
        known.addAll(fns.names());
        return CheckFailure.error(c.calleeSpan(), "unknown function '" + name + "'", Suggest.didYouMean(name, known));
    }
}

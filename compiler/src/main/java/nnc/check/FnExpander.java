package nnc.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;
import nnc.check.CheckedModel.InlinedCall;
import nnc.diag.Diagnostic;
import nnc.diag.Span;
import nnc.runtime.DType;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Checks calls of user fns (DSL.md §7) and expands them. At each call: the arguments are matched
 * to the parameters, symbolic dimensions ({@code d} in {@code f32[batch, d]}) are bound from the
 * argument types and int parameters from constants, then a copy of the body is checked in a scope
 * of its own, with layer calls owning parameters named after the call site (see {@link LayerNaming}).
 * A body that fails for one call signature (argument types and int values) is reported once: later
 * calls with the same signature fail silently. Recursion is an error.
 */
final class FnExpander {
    private final FnTable table;
    private final Deque<String> active = new ArrayDeque<>();
    private final Set<String> failedSignatures = new HashSet<>();
    private final Map<Ast.Call, InlinedCall> inlined = new IdentityHashMap<>();
    /** Expansions per model at most: fns calling fns twice over can otherwise multiply without bound. */
    static final int MAX_EXPANSIONS = 2000;
    private int expansions;
    private final Map<Span, Diagnostic> warnings = new LinkedHashMap<>();

    FnExpander(FnTable table) { this.table = table; }

    boolean isFn(String name) { return table.contains(name); }

    Set<String> names() { return table.names(); }

    /** Every call expanded so far. */
    Map<Ast.Call, InlinedCall> inlined() { return inlined; }

    /** The type of {@code call}, a call of a fn, typed in {@code caller}'s scope. */
    TensorType expand(Ast.Call call, ExprTyper caller) {
        Ast.FnDecl f = table.get(call.callee());
        if (f == null) throw CheckFailure.silent(); // its declaration has an error, reported already
        table.markCalled(f.name());
        if (active.contains(f.name()))
            throw CheckFailure.error(call.calleeSpan(), "'" + f.name() + "' calls itself" + (active.peek().equals(f.name()) ? "" : " (through '" + active.peek() + "')"),
                    "fns are expanded at each call, so they cannot be recursive", f.nameSpan(), "'" + f.name() + "' is defined here");
        if (++expansions > MAX_EXPANSIONS)
            throw CheckFailure.error(call.calleeSpan(), "this call expands fns more than " + MAX_EXPANSIONS + " times in one model",
                    "every call of a fn is expanded with its own parameters; fns that call other fns several times multiply");
        Map<Ast.FnParam, Ast.Expr> args = match(call, f);
        Map<String, Dim> dims = new LinkedHashMap<>();
        Map<String, Double> constants = new LinkedHashMap<>();
        List<String> tensorNames = new ArrayList<>();
        List<Ast.Expr> tensorArgs = new ArrayList<>();
        List<TensorType> tensorTypes = new ArrayList<>();
        StringBuilder signature = new StringBuilder(f.name()).append('(');
        for (Ast.FnParam p : f.params()) {
            Ast.Expr a = args.get(p);
            if (p.isInt()) {
                OptionalDouble v = ConstEval.eval(a);
                if (v.isEmpty() || v.getAsDouble() != Math.rint(v.getAsDouble()) || Math.abs(v.getAsDouble()) > Integer.MAX_VALUE)
                    throw CheckFailure.error(a.span(), "'" + p.name() + "' of " + f.name() + " is an int: give a whole number",
                            "e.g. " + p.name() + " = 4");
                constants.put(p.name(), v.getAsDouble());
                signature.append(p.name()).append('=').append(ConstEval.show(v.getAsDouble())).append(' ');
            } else {
                TensorType t = caller.type(a);
                bind(f, p, a, t, dims);
                tensorNames.add(p.name());
                tensorArgs.add(a);
                tensorTypes.add(t);
                signature.append(t).append(' ');
            }
        }
        String key = signature.append(')').toString();
        if (failedSignatures.contains(key)) throw CheckFailure.silent();
        for (Map.Entry<String, Dim> d : dims.entrySet())
            if (d.getValue().isFixed() && !constants.containsKey(d.getKey())) constants.put(d.getKey(), (double) d.getValue().size());
        String prefix = caller.nextLayerPrefix(f.name());
        active.push(f.name());
        try {
            Scope local = new Scope(declarations(f), "a fn sees only its parameters and its own bindings: pass the tensor as an argument");
            for (Map.Entry<String, Dim> d : dims.entrySet())
                if (!d.getValue().isFixed() && !constants.containsKey(d.getKey()))
                    local.notAValue(d.getKey(), "'" + d.getKey() + "' is the symbolic dimension " + d.getValue() + " in this call, not a number");
            for (int i = 0; i < tensorNames.size(); i++) {
                Ast.FnParam p = param(f, tensorNames.get(i));
                local.define(p.name(), Scope.Kind.BINDING, tensorTypes.get(i), p.nameSpan(), null);
            }
            ExprTyper body = caller.forFnBody(local);
            List<Ast.LetDecl> lets = new ArrayList<>();
            Map<Ast.LetDecl, Scope.Symbol> letSymbols = new IdentityHashMap<>();
            for (Ast.LetDecl let : f.body()) {
                Ast.Expr value = AstCopy.substitute(let.value(), constants);
                local.requireRebindable(let.name(), let.nameSpan());
                // a rebound name's layers get the next prefix (q.W, then q_2.W), as in a model body
                String layer = local.nextLayerPrefix(let.name());
                TensorType t = body.typeStatement(value, prefix + "." + layer);
                local.rebind(let.name(), Scope.Kind.BINDING, t, let.nameSpan(), value);
                letSymbols.put(let, local.get(let.name()));
                lets.add(new Ast.LetDecl(let.name(), value, false, let.span(), let.nameSpan()));
            }
            Ast.Expr returned = AstCopy.substitute(f.returned(), constants);
            TensorType result = body.typeStatement(returned, prefix);
            warnUnused(f, local, letSymbols);
            if (f.result() != null) checkResult(f, result, dims, constants, returned);
            inlined.put(call, new InlinedCall(f.name(), tensorNames, tensorArgs, lets, returned));
            return result;
        } catch (CheckFailure e) {
            failedSignatures.add(key);
            if (e.diagnostic == null) throw e;
            List<Diagnostic.Note> notes = new ArrayList<>(e.diagnostic.notes());
            notes.add(new Diagnostic.Note(call.span(), "in this call of '" + f.name() + "'"
                    + (dims.isEmpty() && constants.isEmpty() ? "" : " with " + bindings(dims, constants, f))));
            Diagnostic d = e.diagnostic;
            throw CheckFailure.of(new Diagnostic(d.severity(), d.span(), d.message(), d.hint(), notes));
        } finally {
            active.pop();
        }
    }

    /** Warnings about the fns expanded so far (once per place): unused parameters and bindings. */
    List<Diagnostic> warnings() { return List.copyOf(warnings.values()); }

    private void warnUnused(Ast.FnDecl f, Scope local, Map<Ast.LetDecl, Scope.Symbol> letSymbols) {
        for (Ast.LetDecl let : f.body())
            if (!letSymbols.get(let).used)
                warnings.putIfAbsent(let.nameSpan(), new Diagnostic(Diagnostic.Severity.WARNING, let.nameSpan(),
                        "'" + let.name() + "' is computed but never used in " + f.name(), "remove it, or use it in the return expression", List.of()));
        for (Ast.FnParam p : f.params()) {
            boolean used = p.isInt() ? mentions(f, p.name()) : local.get(p.name()).used;
            if (!used)
                warnings.putIfAbsent(p.nameSpan(), new Diagnostic(Diagnostic.Severity.WARNING, p.nameSpan(),
                        "parameter '" + p.name() + "' of " + f.name() + " is never used", "remove it, or use it in the body", List.of()));
        }
    }

    /** Whether the body of {@code f} names {@code name} anywhere (int parameters become numbers, so look at the source). */
    private static boolean mentions(Ast.FnDecl f, String name) {
        for (Ast.LetDecl let : f.body()) if (mentions(let.value(), name)) return true;
        return mentions(f.returned(), name);
    }

    private static boolean mentions(Ast.Expr e, String name) {
        return switch (e) {
            case Ast.NameRef r -> r.name().equals(name);
            case Ast.Negate n -> mentions(n.operand(), name);
            case Ast.Index x -> mentions(x.target(), name) || x.items().stream().anyMatch(i -> Stream.of(i.at(), i.start(), i.stop(), i.step())
                    .anyMatch(part -> part != null && mentions(part, name)));
            case Ast.BinaryExpr b -> mentions(b.left(), name) || mentions(b.right(), name);
            case Ast.Call c -> c.args().stream().anyMatch(a -> mentions(a.value(), name));
            case Ast.Tuple t -> t.items().stream().anyMatch(i -> mentions(i, name));
            case Ast.Scan s -> s.carries().stream().anyMatch(c -> mentions(c.init(), name)) || mentions(s.sequence(), name) || s.body().stream().anyMatch(l -> mentions(l.value(), name));
            default -> false;
        };
    }

    /** Arguments by parameter: positional first, then named; every parameter exactly once. */
    private static Map<Ast.FnParam, Ast.Expr> match(Ast.Call call, Ast.FnDecl f) {
        Map<Ast.FnParam, Ast.Expr> out = new LinkedHashMap<>();
        Map<String, Ast.FnParam> byName = new HashMap<>();
        for (Ast.FnParam p : f.params()) byName.put(p.name(), p);
        int position = 0;
        boolean named = false;
        for (Ast.Arg a : call.args()) {
            Ast.FnParam p;
            if (a.name() == null) {
                if (named) throw CheckFailure.error(a.span(), "a positional argument cannot follow a named one", "usage: " + usage(f));
                if (position >= f.params().size())
                    throw CheckFailure.error(a.span(), f.name() + " takes " + f.params().size() + " argument" + (f.params().size() == 1 ? "" : "s")
                            + ", got " + call.args().size(), "usage: " + usage(f), f.nameSpan(), "'" + f.name() + "' is defined here");
                p = f.params().get(position++);
            } else {
                named = true;
                p = byName.get(a.name());
                if (p == null)
                    throw CheckFailure.error(a.span(), f.name() + " has no parameter '" + a.name() + "'",
                            TypeResolver.hintOr(Suggest.didYouMean(a.name(), byName.keySet()), "usage: " + usage(f)));
            }
            if (out.containsKey(p)) throw CheckFailure.error(a.span(), "argument '" + p.name() + "' of " + f.name() + " is given twice", "usage: " + usage(f));
            out.put(p, a.value());
        }
        for (Ast.FnParam p : f.params())
            if (!out.containsKey(p))
                throw CheckFailure.error(call.span(), f.name() + " is missing its argument '" + p.name() + "'", "usage: " + usage(f),
                        f.nameSpan(), "'" + f.name() + "' is defined here");
        return out;
    }

    /** Checks {@code t} against the declared type of {@code p}, binding its dimension symbols in {@code dims}. */
    private static void bind(Ast.FnDecl f, Ast.FnParam p, Ast.Expr arg, TensorType t, Map<String, Dim> dims) {
        Ast.TypeExpr want = p.type();
        DType dtype = want.dtype().equals("i32") ? DType.I32 : DType.F32;
        String what = arg instanceof Ast.NameRef n ? "'" + n.name() + "'" : "the argument";
        if (t.dtype() != dtype || t.rank() != want.dims().size())
            throw mismatch(f, p, arg, what + " is " + t, null);
        for (int i = 0; i < t.rank(); i++) {
            Ast.DimExpr d = want.dims().get(i);
            Dim have = t.shape().dim(i);
            if (d.symbol() == null) {
                if (!have.equals(Dim.of(d.size()))) throw mismatch(f, p, arg, what + " is " + t + ": dimension " + i + " is " + have + ", not " + d.size(), null);
            } else if (d.symbol().equals("batch")) {
                if (!have.equals(Dim.BATCH)) throw mismatch(f, p, arg, what + " is " + t + ": dimension " + i + " is " + have + ", not batch", null);
            } else {
                Dim bound = dims.putIfAbsent(d.symbol(), have);
                if (bound != null && !bound.equals(have))
                    throw mismatch(f, p, arg, what + " is " + t + ", so " + d.symbol() + " would be " + have + ", but " + d.symbol() + " is already " + bound,
                            "every use of '" + d.symbol() + "' in the parameter types stands for the same size");
            }
        }
    }

    private static CheckFailure mismatch(Ast.FnDecl f, Ast.FnParam p, Ast.Expr arg, String detail, String hint) {
        return CheckFailure.error(arg.span(), "argument '" + p.name() + "' of " + f.name() + " must be " + written(p.type()) + ", but " + detail,
                hint, p.span(), "the parameter is declared here");
    }

    /** The declared result type with the call's dimension symbols and int parameters put in, against the body's type. */
    private void checkResult(Ast.FnDecl f, TensorType result, Map<String, Dim> dims, Map<String, Double> constants, Ast.Expr returned) {
        Ast.TypeExpr want = f.result();
        List<Dim> shape = new ArrayList<>();
        for (Ast.DimExpr d : want.dims()) {
            if (d.symbol() == null) shape.add(Dim.of(d.size()));
            else if (d.symbol().equals("batch")) shape.add(Dim.BATCH);
            else if (dims.containsKey(d.symbol())) shape.add(dims.get(d.symbol()));
            else if (isIntParam(f, d.symbol())) {
                double v = constants.get(d.symbol());
                if (v < 1)
                    throw CheckFailure.error(d.span(), "'" + d.symbol() + "' in the result type of " + f.name() + " is " + ConstEval.show(v)
                            + " in this call, but a dimension is at least 1", null);
                shape.add(Dim.of((long) v));
            } else throw CheckFailure.error(d.span(), "'" + d.symbol() + "' in the result type of " + f.name() + " is not bound by a parameter",
                        "result dimensions are numbers, batch, symbols of the parameter types, or int parameters");
        }
        DType dtype = want.dtype().equals("i32") ? DType.I32 : DType.F32;
        TensorType expected = new TensorType(dtype, new Shape(shape));
        if (!expected.equals(result))
            throw CheckFailure.error(returned.span(), f.name() + " returns " + result + ", but its declared result type " + written(want) + " is " + expected + " here",
                    null, want.span(), "the result type is declared here");
    }

    private static boolean isIntParam(Ast.FnDecl f, String name) {
        for (Ast.FnParam p : f.params()) if (p.isInt() && p.name().equals(name)) return true;
        return false;
    }

    private static Map<String, Span> declarations(Ast.FnDecl f) {
        Map<String, Span> names = new LinkedHashMap<>();
        for (Ast.FnParam p : f.params()) names.putIfAbsent(p.name(), p.nameSpan());
        for (Ast.LetDecl l : f.body()) names.putIfAbsent(l.name(), l.nameSpan());
        return names;
    }

    private static Ast.FnParam param(Ast.FnDecl f, String name) {
        for (Ast.FnParam p : f.params()) if (p.name().equals(name)) return p;
        throw new IllegalStateException(name);
    }

    private static String written(Ast.TypeExpr t) {
        List<String> dims = new ArrayList<>();
        for (Ast.DimExpr d : t.dims()) dims.add(d.symbol() != null ? d.symbol() : Long.toString(d.size()));
        return t.dtype() + "[" + String.join(", ", dims) + "]";
    }

    private static String usage(Ast.FnDecl f) {
        List<String> parts = new ArrayList<>();
        for (Ast.FnParam p : f.params()) parts.add(p.name());
        return f.name() + "(" + String.join(", ", parts) + ")";
    }

    private static String bindings(Map<String, Dim> dims, Map<String, Double> constants, Ast.FnDecl f) {
        Map<String, String> all = new LinkedHashMap<>();
        dims.forEach((k, v) -> all.put(k, v.toString()));
        constants.forEach((k, v) -> all.putIfAbsent(k, ConstEval.show(v)));
        List<String> parts = new ArrayList<>();
        all.forEach((k, v) -> parts.add(k + " = " + v));
        return String.join(", ", parts);
    }
}

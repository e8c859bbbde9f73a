package nnc.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.builtins.Builtins;
import nnc.diag.Diagnostic;
import nnc.syntax.Ast;

/**
 * The user functions of a program by name, after the checks that need no call: names that are
 * unique and not a builtin's, parameter names bound once, element types that exist. A fn with
 * such an error is left out (its calls then say "unknown function" only if it was never declared).
 */
final class FnTable {
    private final Map<String, Ast.FnDecl> fns = new LinkedHashMap<>();
    private final Map<String, Ast.FnDecl> broken = new HashMap<>();
    private final Set<String> called = new HashSet<>();

    FnTable(Ast.Program program, List<Diagnostic> diagnostics) {
        for (Ast.FnDecl f : program.fns()) {
            try {
                check(f);
                if (fns.containsKey(f.name()) || broken.containsKey(f.name()))
                    throw CheckFailure.error(f.nameSpan(), "a fn named '" + f.name() + "' is already defined", "give each fn its own name",
                            (fns.containsKey(f.name()) ? fns : broken).get(f.name()).nameSpan(), "the first '" + f.name() + "' is here");
                fns.put(f.name(), f);
            } catch (CheckFailure e) {
                if (e.diagnostic != null) diagnostics.add(e.diagnostic);
                broken.putIfAbsent(f.name(), f);
            }
        }
    }

    private static void check(Ast.FnDecl f) {
        if (Builtins.lookup(f.name()).isPresent() || MetricResolver.METRICS.contains(f.name()))
            throw CheckFailure.error(f.nameSpan(), "'" + f.name() + "' is a builtin function; a fn cannot replace it", "give the fn another name, e.g. my_" + f.name());
        Map<String, Ast.FnParam> seen = new HashMap<>();
        for (Ast.FnParam p : f.params()) {
            Ast.FnParam first = seen.putIfAbsent(p.name(), p);
            if (first != null)
                throw CheckFailure.error(p.nameSpan(), "parameter '" + p.name() + "' of " + f.name() + " is declared twice", null,
                        first.nameSpan(), "first declared here");
            if (p.name().contains(".")) throw CheckFailure.error(p.nameSpan(), "a fn parameter has a plain name, not '" + p.name() + "'");
            if (!p.isInt() && !p.type().dtype().equals("f32") && !p.type().dtype().equals("i32"))
                throw CheckFailure.error(p.type().span(), "unknown parameter type '" + p.type().dtype() + "'",
                        TypeResolver.hintOr(Suggest.didYouMean(p.type().dtype(), List.of("f32", "i32", "int")), "a fn parameter is f32[...], i32[...] or int"));
        }
        for (Ast.LetDecl let : f.body()) {
            if (seen.containsKey(let.name()))
                throw CheckFailure.error(let.nameSpan(), "'" + let.name() + "' is already a parameter of " + f.name(), "a parameter cannot be bound again (a binding of the body can); give this one another name",
                        seen.get(let.name()).nameSpan(), "the parameter is here");
        }
    }

    boolean contains(String name) { return fns.containsKey(name) || broken.containsKey(name); }

    /** The fn, or null when it is unknown or its declaration has an error (already reported). */
    Ast.FnDecl get(String name) { return fns.get(name); }

    Set<String> names() { return fns.keySet(); }

    /** Records that {@code name} was expanded at some call. */
    void markCalled(String name) { called.add(name); }

    /** Warnings for fns no model calls (directly or through another fn). */
    List<Diagnostic> unusedWarnings() {
        List<Diagnostic> out = new ArrayList<>();
        for (Ast.FnDecl f : fns.values())
            if (!called.contains(f.name()))
                out.add(new Diagnostic(Diagnostic.Severity.WARNING, f.nameSpan(), "fn '" + f.name() + "' is never called",
                        "remove it, or call it in a model: h = " + f.name() + "(...)", List.of()));
        return out;
    }
}

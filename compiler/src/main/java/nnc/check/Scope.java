package nnc.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.builtins.Builtins;
import nnc.diag.Span;
import nnc.syntax.Ast;
import nnc.types.TensorType;

/**
 * The names of one model, in declaration order: a statement sees only the names declared before it.
 * Inputs, targets, parameters and outputs are bound once; a binding may be bound again by a later
 * binding or output ({@link #rebind}), and later statements see the newest. Knows the names declared
 * later too, to say "used before it is defined" instead of "unknown".
 */
final class Scope {
    enum Kind {
        INPUT("input"), TARGET("target"), PARAM("parameter"), LAYER_PARAM("parameter"), BINDING("binding"), OUTPUT("output");

        final String word;

        Kind(String word) { this.word = word; }
    }

    /** A declared name. {@code type} is null when its declaration had an error (already reported). */
    static final class Symbol {
        final String name;
        final Kind kind;
        final TensorType type;
        final Span span;
        /** The bound expression of a binding or output; null otherwise. */
        final Ast.Expr value;
        boolean used;

        Symbol(String name, Kind kind, TensorType type, Span span, Ast.Expr value) {
            this.name = name;
            this.kind = kind;
            this.type = type;
            this.span = span;
            this.value = value;
        }

        boolean isBinding() { return kind == Kind.BINDING || kind == Kind.OUTPUT; }
    }

    private final Map<String, Symbol> symbols = new LinkedHashMap<>();
    /** The enclosing scope (a scan body sees the model's names), or null. */
    private Scope parent;

    /** A scope inside {@code parent} (a scan body): sees the parent's names, binds its own, which may be rebound. */
    static Scope nested(Scope parent, Map<String, Span> declarations) {
        Scope s = new Scope(declarations, null);
        s.parent = parent;
        return s;
    }

    private final Map<String, Span> declaredLater;

    private final String unknownHint;
    /** Names that are not values here, with the reason (a fn's dimension symbol bound to batch). */
    private final Map<String, String> notValues = new HashMap<>();

    /** Makes a use of {@code name} an error with {@code reason}. */
    void notAValue(String name, String reason) { notValues.put(name, reason); }

    /** @param declarations every name the model body declares, with the span of its first declaration */
    Scope(Map<String, Span> declarations) { this(declarations, null); }

    /** @param unknownHint the hint for an unknown name when no declared name is close (e.g. in a fn body) */
    Scope(Map<String, Span> declarations, String unknownHint) {
        this.declaredLater = declarations;
        this.unknownHint = unknownHint;
    }

    /** Throws when {@code name} is taken. */
    void requireFree(String name, Span span) {
        Symbol first = symbols.get(name);
        if (first != null)
            throw CheckFailure.error(span, "'" + name + "' is already defined",
                    "an input, target or parameter is declared once; give this one another name, e.g. " + fresh(name),
                    first.span, "'" + name + "' is first defined here");
    }

    /**
     * Binds {@code name} to a new value (a binding or an output): the binding of the same name before
     * it, if any, is replaced for later statements. Inputs, targets, parameters and outputs cannot be
     * rebound. The binding's layers are named after {@link #nextLayerPrefix}, as it was before this call.
     * In a scan body ({@link #nested}), a name of the enclosing scope cannot be bound.
     */
    void rebind(String name, Kind kind, TensorType type, Span span, Ast.Expr value) {
        if (!symbols.containsKey(name) && parent != null && parent.get(name) != null) // a scan body's names are its own
            throw CheckFailure.error(span, "'" + name + "' is already defined outside the scan",
                    "names inside a scan body are its own; pick another name, e.g. " + fresh(name), parent.get(name).span, "'" + name + "' is defined here");
        requireRebindable(name, span);
        suffixes.put(name, nextSuffix(name));
        Symbol old = symbols.get(name);
        if (old != null) {
            shadowed.add(old);
            symbols.remove(name);
        }
        symbols.put(name, new Symbol(name, kind, type, span, value));
    }

    /** Throws unless {@code name} is free or a binding (which a later binding may replace). */
    void requireRebindable(String name, Span span) {
        Symbol old = symbols.get(name);
        if (old != null && old.kind != Kind.BINDING)
            throw CheckFailure.error(span, "'" + name + "' is " + (old.kind == Kind.INPUT || old.kind == Kind.OUTPUT ? "an " : "a ") + old.kind.word
                            + " and cannot be bound again",
                    "only a binding (name = expression) can be bound again; give this one another name, e.g. " + fresh(name),
                    old.span, "'" + name + "' is defined here");
    }

    /** Bindings replaced by a later binding of their name (for "never used" warnings). */
    List<Symbol> shadowed() { return List.copyOf(shadowed); }

    private final List<Symbol> shadowed = new ArrayList<>();
    /** The suffix of the layer prefix of each name's latest binding: 1 for the name itself, k for name_k. */
    private final Map<String, Integer> suffixes = new HashMap<>();

    Symbol define(String name, Kind kind, TensorType type, Span span, Ast.Expr value) {
        requireFree(name, span);
        Symbol s = new Symbol(name, kind, type, span, value);
        symbols.put(name, s);
        return s;
    }

    boolean isDefined(String name) { return symbols.containsKey(name); }

    Symbol get(String name) {
        Symbol s = symbols.get(name);
        return s != null || parent == null ? s : parent.get(name);
    }
    /**
     * The layer-parameter prefix of the next binding of {@code name}: {@code name} itself the first
     * time, then {@code name_2}, {@code name_3}, … ({@code h_2.W} for the second {@code h = dense(...)}),
     * skipping any {@code name_k} the body declares itself.
     */
    String nextLayerPrefix(String name) {
        int k = nextSuffix(name);
        return k == 1 ? name : name + "_" + k;
    }

    private int nextSuffix(String name) {
        if (!suffixes.containsKey(name)) return 1;
        int k = suffixes.get(name) + 1;
        while (declaredLater.containsKey(name + "_" + k)) k++;
        return k;
    }


    Collection<Symbol> symbols() { return symbols.values(); }

    /** The symbol {@code ref} names, marked used; throws with a helpful message when there is none. */
    Symbol resolve(Ast.NameRef ref) {
        Symbol s = symbols.get(ref.name());
        if (s == null && parent != null && !declaredLater.containsKey(ref.name()) && parent.get(ref.name()) != null) return parent.resolve(ref);
        if (s != null) {
            s.used = true;
            if (s.type == null) throw CheckFailure.silent();
            return s;
        }
        String name = ref.name();
        if (notValues.containsKey(name)) throw CheckFailure.error(ref.span(), notValues.get(name), "only fixed sizes can be used as numbers");
        Span later = declaredLater.get(name);
        if (later == null && name.contains(".")) later = declaredLater.get(name.substring(0, name.indexOf('.')));
        if (later != null)
            throw CheckFailure.error(ref.span(), "'" + name + "' is used before it is defined",
                    "a statement can only use names defined above it", later, "'" + name + "' is defined here");
        if (Builtins.lookup(name).isPresent())
            throw CheckFailure.error(ref.span(), "'" + name + "' is a function, not a value", "call it: " + name + "(...)");
        if (name.equals("params"))
            throw CheckFailure.error(ref.span(), "unknown name 'params'", "'params' stands for every parameter only as the argument of l1(...) or l2(...)");
        throw CheckFailure.error(ref.span(), "unknown name '" + name + "'", TypeResolver.hintOr(Suggest.didYouMean(name, symbols.keySet()), unknownHint));
    }

    private String fresh(String name) {
        for (int i = 2; ; i++) if (!symbols.containsKey(name + i) && !declaredLater.containsKey(name + i)) return name + i;
    }
}

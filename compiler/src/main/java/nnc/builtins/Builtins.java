package nnc.builtins;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of the language's builtin functions: each declared once, by its family, with its
 * signature, type rule and lowering side by side. The checker and the lowering stage both read it.
 *
 * <p>A family is built the first time one of its builtins is looked up, not when the registry is:
 * declaring a builtin links a lambda or two (its type rule and its lowering), which the JVM does at
 * first use, ~0.1 ms apiece when nnc starts (the archived module graph that would link them ahead
 * of time is off with the incubator module {@code jdk.incubator.vector}), and a model uses a few of
 * the ~100 builtins. So the registry knows each family's names beforehand ({@link Family#names});
 * building a family checks that it declares exactly those. The elementwise functions and the losses
 * are declared one builtin at a time, on its first lookup, for the same reason (the losses linked 22
 * lambdas for the one a model uses).
 */
public final class Builtins {
    private Builtins() {}

    /** The families, in the order their builtins are listed. */
    private enum Family {
        ELEMENTWISE, ACTIVATION, SHAPE, REDUCTION, NORM, ATTENTION, LAYER, CONV, RECURRENT, LOSS, PLUMBING;

        /** The names of the builtins the family declares, known without building them. */
        List<String> names() {
            return switch (this) {
                case ELEMENTWISE -> ElementwiseBuiltins.names();
                case ACTIVATION -> ActivationBuiltins.NAMES;
                case SHAPE -> ShapeBuiltins.NAMES;
                case REDUCTION -> ReductionBuiltins.NAMES;
                case NORM -> NormBuiltins.NAMES;
                case ATTENTION -> AttentionBuiltins.NAMES;
                case LAYER -> LayerBuiltins.NAMES;
                case CONV -> ConvBuiltins.NAMES;
                case RECURRENT -> RecurrentBuiltins.NAMES;
                case LOSS -> LossBuiltins.NAMES;
                case PLUMBING -> PlumbingBuiltins.NAMES;
            };
        }

        /** The family's builtin {@code name}, declared (its type rule and lowering linked), or all of the family's with it. */
        List<Builtin> declare(String name) {
            return switch (this) {
                case ELEMENTWISE -> List.of(ElementwiseBuiltins.declare(name));
                case ACTIVATION -> ActivationBuiltins.all();
                case SHAPE -> ShapeBuiltins.all();
                case REDUCTION -> ReductionBuiltins.all();
                case NORM -> NormBuiltins.all();
                case ATTENTION -> AttentionBuiltins.all();
                case LAYER -> LayerBuiltins.all();
                case CONV -> ConvBuiltins.all();
                case RECURRENT -> RecurrentBuiltins.all();
                case LOSS -> List.of(LossBuiltins.declare(name));
                case PLUMBING -> PlumbingBuiltins.all();
            };
        }
    }

    /** Every builtin's family, by name, in the families' order. */
    private static final Map<String, Family> FAMILIES = new LinkedHashMap<>();

    /** The builtins declared so far, by name; guarded by the class. */
    private static final Map<String, Builtin> BUILT = new HashMap<>();

    static {
        for (Family family : Family.values())
            for (String name : family.names())
                if (FAMILIES.putIfAbsent(name, family) != null) throw new IllegalStateException("builtin " + name + " is declared twice");
    }

    public static Optional<Builtin> lookup(String name) {
        Family family = FAMILIES.get(name);
        return family == null ? Optional.empty() : Optional.of(built(family, name));
    }

    /** Every builtin's name. */
    public static Set<String> names() { return Collections.unmodifiableSet(FAMILIES.keySet()); }

    private static synchronized Builtin built(Family family, String name) {
        Builtin built = BUILT.get(name);
        if (built != null) return built;
        List<Builtin> declared = family.declare(name);
        Map<String, Builtin> builtins = new HashMap<>();
        for (Builtin b : declared)
            if (builtins.putIfAbsent(b.name(), b) != null) throw new IllegalStateException("builtin " + b.name() + " is declared twice");
        Set<String> listed = declared.size() == 1 ? Set.of(name) : Set.copyOf(family.names());
        if (!builtins.keySet().equals(listed))
            throw new IllegalStateException("the " + family + " builtins declare " + builtins.keySet() + ", not the names listed " + listed);
        BUILT.putAll(builtins);
        return builtins.get(name);
    }
}

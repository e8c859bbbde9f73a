package nnc.builtins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of the language's builtin functions: each declared once, by its family, with its
 * signature, type rule and lowering side by side. The checker and the lowering stage both read it.
 */
public final class Builtins {
    private Builtins() {}

    private static final Map<String, Builtin> ALL = new LinkedHashMap<>();

    static {
        for (List<Builtin> family : List.of(ElementwiseBuiltins.all(), ActivationBuiltins.all(), ShapeBuiltins.all(), ReductionBuiltins.all(), NormBuiltins.all(),
                AttentionBuiltins.all(), LayerBuiltins.all(), ConvBuiltins.all(), RecurrentBuiltins.all(), LossBuiltins.all(),
                PlumbingBuiltins.all()))
            for (Builtin b : family)
                if (ALL.putIfAbsent(b.name(), b) != null) throw new IllegalStateException("builtin " + b.name() + " is declared twice");
    }

    public static Optional<Builtin> lookup(String name) { return Optional.ofNullable(ALL.get(name)); }

    /** Every builtin's name. */
    public static Set<String> names() { return Collections.unmodifiableSet(ALL.keySet()); }
}

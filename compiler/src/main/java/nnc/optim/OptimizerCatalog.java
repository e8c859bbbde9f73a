package nnc.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every optimiser a train block can name, by name. */
public final class OptimizerCatalog {
    private static final Map<String, Optimizer> BY_NAME = new LinkedHashMap<>();

    static {
        for (Optimizer o : List.of(new Gd(), new Sgd(), new Momentum(), new Nesterov(), new Adam(), new AdamW(), new RmsProp()))
            BY_NAME.put(o.name(), o);
    }

    private OptimizerCatalog() {}

    /** The names, in documentation order: gd, sgd, momentum, nesterov, adam, adamw, rmsprop. */
    public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }

    public static Optional<Optimizer> find(String name) { return Optional.ofNullable(BY_NAME.get(name)); }

    /** The optimiser called {@code name}; the checker has made sure it exists. */
    public static Optimizer named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown optimizer '" + name + "' (known: " + String.join(", ", names()) + ")"));
    }
}

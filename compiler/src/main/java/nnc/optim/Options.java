package nnc.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the ordered, unmodifiable option-default maps of the optimisers. */
final class Options {
    private Options() {}

    /** {@code of("lr", 0.01, "weight_decay", 0.0)}: names and defaults, in order. */
    static Map<String, Double> of(Object... namesAndDefaults) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDefaults.length; i += 2)
            m.put((String) namesAndDefaults[i], ((Number) namesAndDefaults[i + 1]).doubleValue());
        return Collections.unmodifiableMap(m);
    }
}

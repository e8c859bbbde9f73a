package nnc.runtime.data;

import java.util.List;
import java.util.Map;

/**
 * A data source as written in a train block: {@code circles(n = 1000, noise = 0.1)} is kind
 * {@code circles}, no positional arguments, options {@code n → 1000.0, noise → 0.1};
 * {@code idx("a.gz", "b.gz", scale = 1/255)} is kind {@code idx} with two string arguments.
 * Numbers are Doubles, strings Strings. {@code origin} names where it was written (for messages).
 */
public record DataSpec(String kind, List<Object> args, Map<String, Object> options, String origin) {
    public DataSpec {
        args = List.copyOf(args);
        options = Map.copyOf(options);
    }
}

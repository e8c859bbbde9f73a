package nnc.emit;

import java.util.Map;

/**
 * Where the code of a generated class comes from in the {@code .nn} source: the file (as the class's
 * {@code SourceFile}) and the line of the statement each kernel method computes, by method name
 * (methods without a known line are absent).
 */
public record NnLines(String file, Map<String, Integer> byMethod) {
    public NnLines { byMethod = Map.copyOf(byMethod); }

    /** The line of kernel method {@code method}, or 0. */
    public int lineOf(String method) { return byMethod.getOrDefault(method, 0); }
}

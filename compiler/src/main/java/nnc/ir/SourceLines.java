package nnc.ir;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where the values of a module come from in its {@code .nn} file: the file's name (as a class
 * file's {@code SourceFile} names it) and, for nodes that have one, the line of the statement that
 * made them (a forward value: its binding's line; a gradient: the line of the value it
 * differentiates; an optimiser update: its parameter's line). Generated code maps its kernels to
 * these lines.
 */
public record SourceLines(String file, Map<Node, Integer> lines) {
    public static final SourceLines NONE = new SourceLines("", Map.of());

    public SourceLines {
        lines = Collections.unmodifiableMap(new IdentityHashMap<>(lines));
    }

    /** The line of {@code n}, or 0 when unknown. */
    public int lineOf(Node n) { return lines.getOrDefault(n, 0); }
}

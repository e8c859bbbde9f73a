package nnc.passes;

import java.util.HashMap;
import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.types.ShapeRules;

/**
 * A named algebraic identity as data: {@code pattern → replacement}, whether it holds bitwise for
 * every f32 input under IEEE 754 ({@code ieeeSafe}), and why (or for which inputs it does not).
 * Unsafe rules only run when asked for, and each application is reported.
 */
record RewriteRule(String name, boolean ieeeSafe, String why, Pattern pattern, Pattern replacement) {
    /**
     * The replacement for {@code n}, or null when the pattern does not match. The replacement is
     * broadcast to n's shape when it is smaller (e.g. {@code x·1} with a broadcast 1); a rule whose
     * replacement cannot take n's type does not apply.
     */
    Node apply(GraphBuilder b, Node n) {
        Map<String, Object> env = new HashMap<>();
        if (!pattern.match(n, env)) return null;
        Node r = replacement.build(b, env);
        if (r.type().equals(n.type())) return r;
        if (r.type().dtype() != n.type().dtype()) return null;
        try {
            if (!ShapeRules.broadcastsTo(r.shape(), n.shape())) return null;
        } catch (RuntimeException e) {
            return null;
        }
        return b.broadcast(r, n.shape());
    }

    @Override public String toString() { return name + ": " + pattern + " → " + replacement + (ieeeSafe ? "" : " (unsafe)"); }
}

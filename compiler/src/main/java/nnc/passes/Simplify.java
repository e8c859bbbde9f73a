package nnc.passes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.IrModule;
import nnc.ir.Node;

/**
 * Algebraic simplification: the named rewrite rules of {@link SimplifyRules} applied bottom-up
 * until none applies (a fixpoint). Only IEEE-safe rules by default, so results stay bitwise the
 * same; with {@code unsafeMath} the unsafe rules run too and each one that fired is reported.
 */
public final class Simplify implements Pass {
    /** A bound on rebuilds; every rule shrinks the graph, so real modules settle in two or three. */
    static final int MAX_ROUNDS = 16;

    private final List<RewriteRule> rules;

    public Simplify(boolean unsafeMath) {
        rules = new ArrayList<>(SimplifyRules.SAFE);
        if (unsafeMath) rules.addAll(SimplifyRules.UNSAFE);
    }

    @Override public String name() { return "simplify"; }

    /** The rules this instance applies, in order of preference. */
    public List<String> ruleNames() { return rules.stream().map(RewriteRule::name).toList(); }

    @Override public IrModule run(IrModule module, PassReport report) {
        Map<RewriteRule, Integer> fired = new LinkedHashMap<>();
        IrModule m = module;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int before = fired.values().stream().mapToInt(Integer::intValue).sum();
            m = ModuleRewriter.rebuild(m, (b, old, inputs) -> {
                Node n = b.node(old.op(), inputs);
                for (int guard = 0; guard < 64; guard++) {
                    Node r = firstRewrite(b, n, fired);
                    if (r == null) break;
                    n = r;
                }
                return n;
            });
            if (fired.values().stream().mapToInt(Integer::intValue).sum() == before) break;
        }
        fired.forEach((rule, count) -> {
            if (!rule.ieeeSafe())
                report.note(name(), "applied unsafe rule " + rule.name() + " " + count + " time(s): " + rule.why());
        });
        return m;
    }

    private Node firstRewrite(GraphBuilder b, Node n, Map<RewriteRule, Integer> fired) {
        for (RewriteRule rule : rules) {
            Node r = rule.apply(b, n);
            if (r != null && r != n) {
                fired.merge(rule, 1, Integer::sum);
                return r;
            }
        }
        return null;
    }
}

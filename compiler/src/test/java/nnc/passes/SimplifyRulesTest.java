package nnc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import nnc.ir.BinaryFn;
import nnc.ir.Op;
import nnc.ir.UnaryFn;
import org.junit.jupiter.api.Test;

/**
 * Every rule's safety claim, checked by evaluating its pattern and its replacement on f32 values
 * (with the kernels' own arithmetic): safe rules agree bit for bit on ±0, ±∞, NaN, subnormals,
 * extremes and random values; each unsafe rule has a counterexample among them.
 */
class SimplifyRulesTest {
    static final List<Float> VALUES = values();

    @Test
    void safeRulesAreExactOnEveryValue() {
        for (RewriteRule r : SimplifyRules.SAFE)
            for (float x : VALUES)
                for (float y : VALUES) {
                    Map<String, Float> env = Map.of("x", x, "y", y);
                    assertEquals(Float.floatToIntBits(eval(r.pattern(), env)), Float.floatToIntBits(eval(r.replacement(), env)),
                            r + " at x=" + x + ", y=" + y);
                }
    }

    @Test
    void unsafeRulesHaveACounterexample() {
        for (RewriteRule r : SimplifyRules.UNSAFE) {
            boolean found = false;
            for (float x : VALUES)
                for (float y : VALUES) {
                    Map<String, Float> env = Map.of("x", x, "y", y);
                    found |= Float.floatToIntBits(eval(r.pattern(), env)) != Float.floatToIntBits(eval(r.replacement(), env));
                }
            assertTrue(found, r + " is marked unsafe but agrees everywhere");
        }
    }

    @Test
    void rulesHaveDistinctNamesAndReasons() {
        List<String> names = new ArrayList<>();
        for (RewriteRule r : SimplifyRules.SAFE) { names.add(r.name()); assertTrue(r.ieeeSafe() && !r.why().isBlank()); }
        for (RewriteRule r : SimplifyRules.UNSAFE) { names.add(r.name()); assertTrue(!r.ieeeSafe() && !r.why().isBlank()); }
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }

    @Test
    void reluMaskIsExact() {
        for (float x : VALUES)
            for (float zero : new float[] {0f, -0f})
                assertEquals(BinaryFn.GT.apply(x, zero),
                        BinaryFn.GT.apply(UnaryFn.RELU.apply(x), zero), "x=" + x);
    }

    /** A pattern's value with its variables bound to scalars; broadcasts and reshapes move no bits. */
    static float eval(Pattern p, Map<String, Float> env) {
        return switch (p) {
            case Pattern.Var v -> env.get(v.name());
            case Pattern.Const c -> (float) c.value();
            case Pattern.Apply a -> switch (a.op()) {
                case Op.Unary u -> u.fn().apply(eval(a.args().get(0), env));
                case Op.Binary b -> b.fn().apply(eval(a.args().get(0), env), eval(a.args().get(1), env));
                default -> throw new AssertionError("no scalar meaning for " + a);
            };
            case Pattern.ApplyKind k -> eval(k.args().get(0), env);
        };
    }

    private static List<Float> values() {
        List<Float> v = new ArrayList<>(List.of(0f, -0f, 1f, -1f, 2f, 0.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 3.0e-39f, 1e-8f));
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 24; i++) v.add((float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-6, 7))));
        return v;
    }
}

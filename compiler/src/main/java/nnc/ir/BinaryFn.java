package nnc.ir;

import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleBinaryOperator;
import nnc.runtime.kernels.ScalarMath;
import nnc.runtime.kernels.VectorMath;

/**
 * Elementwise functions of two broadcast arguments, with their facts as constructor arguments (see
 * {@link UnaryFn}). Comparisons yield 1.0 or 0.0; HASH is {@code ScalarMath.hashUniform(a, b)}, a
 * counter-based random value in [0, 1) (dropout's RNG).
 */
public enum BinaryFn {
    ADD(null, (a, b) -> a + b, (a, b) -> a + b, inline(Inline.ADD), inlineLanes(LaneInline.ADD), Recompute.ALWAYS),
    SUB(null, (a, b) -> a - b, (a, b) -> a - b, inline(Inline.SUB), inlineLanes(LaneInline.SUB), Recompute.ALWAYS),
    MUL(null, (a, b) -> a * b, (a, b) -> a * b, inline(Inline.MUL), inlineLanes(LaneInline.MUL), Recompute.ALWAYS),
    DIV(null, (a, b) -> a / b, (a, b) -> a / b, inline(Inline.DIV), inlineLanes(LaneInline.DIV), Recompute.ALWAYS),
    /** No lane form: a kernel with pow stays scalar. */
    POW("pow", ScalarMath::pow, Math::pow, runtime("pow"), new LaneForm.None<>(), Recompute.NEVER),
    MAX("max", Math::max, Math::max, ScalarForm.call(Math.class, "max", 2), inlineLanes(LaneInline.MAX), Recompute.NEVER),
    MIN("min", Math::min, Math::min, ScalarForm.call(Math.class, "min", 2), inlineLanes(LaneInline.MIN), Recompute.NEVER),
    GT(null, (a, b) -> a > b ? 1f : 0f, (a, b) -> a > b ? 1 : 0, inline(Inline.GT), inlineLanes(LaneInline.GT), Recompute.NEVER),
    GE(null, (a, b) -> a >= b ? 1f : 0f, (a, b) -> a >= b ? 1 : 0, inline(Inline.GE), inlineLanes(LaneInline.GE), Recompute.NEVER),
    EQ(null, (a, b) -> a == b ? 1f : 0f, (a, b) -> a == b ? 1 : 0, inline(Inline.EQ), inlineLanes(LaneInline.EQ), Recompute.NEVER),
    /** Its reference is the f32 hash itself: a random value has no more exact value. */
    HASH(null, ScalarMath::hashUniform, (a, b) -> ScalarMath.hashUniform((float) a, (float) b), runtime("hashUniform"),
            new LaneForm.Call<>(VectorMath.class, "hashUniform", 2), Recompute.NEVER);

    /** A function of two floats. */
    @FunctionalInterface
    public interface F32 {
        float apply(float a, float b);
    }

    /** Operators the scalar emitters write inline: arithmetic, and comparisons as {@code a > b ? 1f : 0f}. */
    public enum Inline { ADD, SUB, MUL, DIV, GT, GE, EQ }

    /** {@code FloatVector} operations the vector emitters write inline: {@code a.add(b)} …, comparisons blended to 1 or 0. */
    public enum LaneInline { ADD, SUB, MUL, DIV, MAX, MIN, GT, GE, EQ }

    private final String builtin;
    private final F32 f32;
    private final DoubleBinaryOperator f64;
    private final ScalarForm<Inline> scalar;
    private final LaneForm<LaneInline> lanes;
    private final Recompute recompute;

    BinaryFn(String builtin, F32 f32, DoubleBinaryOperator f64, ScalarForm<Inline> scalar, LaneForm<LaneInline> lanes, Recompute recompute) {
        this.builtin = builtin;
        this.f32 = f32;
        this.f64 = f64;
        this.scalar = scalar;
        this.lanes = lanes;
        this.recompute = recompute;
    }

    public String text() { return name().toLowerCase(Locale.ROOT); }

    /** The builtin function of the language that applies this function elementwise (broadcasting), if any. */
    public Optional<String> builtin() { return Optional.ofNullable(builtin); }

    /** The function exposed as builtin {@code name}. */
    public static Optional<BinaryFn> ofBuiltin(String name) {
        for (BinaryFn f : values()) if (name.equals(f.builtin)) return Optional.of(f);
        return Optional.empty();
    }

    /** The f32 value, bit for bit what generated code computes. */
    public float apply(float a, float b) { return f32.apply(a, b); }

    /** The value in double precision: the reference the f64 evaluator and the tests use. */
    public double reference(double a, double b) { return f64.applyAsDouble(a, b); }

    public ScalarForm<Inline> scalar() { return scalar; }

    public LaneForm<LaneInline> lanes() { return lanes; }

    public Recompute recompute() { return recompute; }

    private static ScalarForm<Inline> runtime(String name) { return ScalarForm.call(ScalarMath.class, name, 2); }

    private static ScalarForm<Inline> inline(Inline op) { return new ScalarForm.Inline<>(op); }

    private static LaneForm<LaneInline> inlineLanes(LaneInline op) { return new LaneForm.Inline<>(op); }
}

package nnc.ir;

import java.util.Locale;
import java.util.Optional;
import nnc.runtime.kernels.ScalarMath;
import nnc.runtime.kernels.VectorMath;

/**
 * Elementwise functions of two broadcast arguments, with their facts as constructor arguments and
 * their f32 and f64 values as the cases of {@link #apply} and {@link #reference} (see {@link UnaryFn}).
 * Comparisons yield 1.0 or 0.0; HASH is {@code ScalarMath.hashUniform(a, b)}, a counter-based random
 * value in [0, 1) (dropout's RNG).
 */
public enum BinaryFn {
    ADD(null, inline(Inline.ADD), inlineLanes(LaneInline.ADD), Recompute.ALWAYS),
    SUB(null, inline(Inline.SUB), inlineLanes(LaneInline.SUB), Recompute.ALWAYS),
    MUL(null, inline(Inline.MUL), inlineLanes(LaneInline.MUL), Recompute.ALWAYS),
    DIV(null, inline(Inline.DIV), inlineLanes(LaneInline.DIV), Recompute.ALWAYS),
    /** No lane form: a kernel with pow stays scalar. */
    POW("pow", runtime("pow"), new LaneForm.None<>(), Recompute.NEVER),
    MAX("max", ScalarForm.call(Math.class, "max", 2), inlineLanes(LaneInline.MAX), Recompute.NEVER),
    MIN("min", ScalarForm.call(Math.class, "min", 2), inlineLanes(LaneInline.MIN), Recompute.NEVER),
    GT(null, inline(Inline.GT), inlineLanes(LaneInline.GT), Recompute.NEVER),
    GE(null, inline(Inline.GE), inlineLanes(LaneInline.GE), Recompute.NEVER),
    EQ(null, inline(Inline.EQ), inlineLanes(LaneInline.EQ), Recompute.NEVER),
    /** Its reference is the f32 hash itself: a random value has no more exact value. */
    HASH(null, runtime("hashUniform"), new LaneForm.Call<>(VectorMath.class, "hashUniform", 2), Recompute.NEVER);

    /** Operators the scalar emitters write inline: arithmetic, and comparisons as {@code a > b ? 1f : 0f}. */
    public enum Inline { ADD, SUB, MUL, DIV, GT, GE, EQ }

    /** {@code FloatVector} operations the vector emitters write inline: {@code a.add(b)} …, comparisons blended to 1 or 0. */
    public enum LaneInline { ADD, SUB, MUL, DIV, MAX, MIN, GT, GE, EQ }

    private final String builtin;
    private final ScalarForm<Inline> scalar;
    private final LaneForm<LaneInline> lanes;
    private final Recompute recompute;

    BinaryFn(String builtin, ScalarForm<Inline> scalar, LaneForm<LaneInline> lanes, Recompute recompute) {
        this.builtin = builtin;
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
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> ScalarMath.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
            case HASH -> ScalarMath.hashUniform(a, b);
        };
    }

    /** The value in double precision: the reference the f64 evaluator and the tests use. */
    public double reference(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
            case HASH -> ScalarMath.hashUniform((float) a, (float) b);
        };
    }

    public ScalarForm<Inline> scalar() { return scalar; }

    public LaneForm<LaneInline> lanes() { return lanes; }

    public Recompute recompute() { return recompute; }

    private static ScalarForm<Inline> runtime(String name) { return ScalarForm.call(ScalarMath.class, name, 2); }

    private static ScalarForm<Inline> inline(Inline op) { return new ScalarForm.Inline<>(op); }

    private static LaneForm<LaneInline> inlineLanes(LaneInline op) { return new LaneForm.Inline<>(op); }
}

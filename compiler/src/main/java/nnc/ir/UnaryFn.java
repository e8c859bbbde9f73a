package nnc.ir;

import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import nnc.runtime.kernels.ScalarMath;
import nnc.runtime.kernels.VectorMath;

/**
 * Elementwise functions of one argument, each with its facts as constructor arguments (so a function
 * without one does not compile): the builtin it is exposed as, its f32 semantics (the bits every back
 * end, the interpreter and constant folding compute), its f64 reference, how generated code computes
 * it on a float and on a vector of lanes, and whether fusion may recompute it.
 */
public enum UnaryFn {
    SIGMOID("sigmoid", ScalarMath::sigmoid, F64Math::sigmoid, runtime("sigmoid"), lanes("sigmoid"), Recompute.NEVER),
    TANH("tanh", ScalarMath::tanh, Math::tanh, runtime("tanh"), lanes("tanh"), Recompute.NEVER),
    RELU("relu", x -> Math.max(x, 0f), x -> Math.max(x, 0), inline(Inline.RELU), inlineLanes(LaneInline.RELU), Recompute.NEVER),
    EXP("exp", ScalarMath::exp, Math::exp, runtime("exp"), lanes("exp"), Recompute.IN_SHORT_CHAINS),
    LOG("log", ScalarMath::log, Math::log, runtime("log"), lanes("log"), Recompute.NEVER),
    SQRT("sqrt", ScalarMath::sqrt, Math::sqrt, runtime("sqrt"), inlineLanes(LaneInline.SQRT), Recompute.NEVER),
    ABS("abs", Math::abs, Math::abs, ScalarForm.call(Math.class, "abs", 1), inlineLanes(LaneInline.ABS), Recompute.NEVER),
    SOFTPLUS("softplus", ScalarMath::softplus, F64Math::softplus, runtime("softplus"), lanes("softplus"), Recompute.NEVER),
    SILU("silu", ScalarMath::silu, x -> x / (1 + Math.exp(-x)), runtime("silu"), lanes("silu"), Recompute.NEVER),
    SIN("sin", ScalarMath::sin, Math::sin, runtime("sin"), lanes("sin"), Recompute.NEVER),
    COS("cos", ScalarMath::cos, Math::cos, runtime("cos"), lanes("cos"), Recompute.NEVER),
    LOG1P("log1p", ScalarMath::log1p, Math::log1p, runtime("log1p"), lanes("log1p"), Recompute.NEVER),
    EXPM1("expm1", ScalarMath::expm1, Math::expm1, runtime("expm1"), lanes("expm1"), Recompute.NEVER),
    /** −1, 0 or +1 (±0 and NaN kept); no gradient. */
    SIGN("sign", ScalarMath::sign, Math::signum, runtime("sign"), lanes("sign"), Recompute.NEVER),
    /** The unary minus operator, not a builtin. */
    NEG(null, x -> -x, x -> -x, inline(Inline.NEG), inlineLanes(LaneInline.NEG), Recompute.ALWAYS),
    /** The error function; also gelu's building block. */
    ERF("erf", ScalarMath::erf, F64Math::erf, runtime("erf"), lanes("erf"), Recompute.NEVER),
    /**
     * Subnormal values to +0 (optimiser moments, which otherwise decay into subnormals and stay there), not a builtin.
     * Its lanes are written inline: a fused optimiser kernel holds many of them, and past C2's node-count cutoff a
     * call to {@code VectorMath.flushSubnormal} is not inlined, so its vectors were boxed on every iteration.
     */
    FLUSH(null, ScalarMath::flushSubnormal, x -> Math.abs(x) < Float.MIN_NORMAL ? 0 : x, runtime("flushSubnormal"), inlineLanes(LaneInline.FLUSH),
            Recompute.NEVER);

    /** A function of one float. */
    @FunctionalInterface
    public interface F32 {
        float apply(float x);
    }

    /** Operators the scalar emitters write inline: {@code -x} and {@code Math.max(x, 0f)}. */
    public enum Inline { NEG, RELU }

    /**
     * {@code FloatVector} operations the vector emitters write inline: {@code neg()}, {@code abs()}, {@code sqrt()},
     * {@code max(0f)}, and {@code x.blend(0f, x.abs().compare(LT, Float.MIN_NORMAL))} (the operations of
     * {@code VectorMath.flushSubnormal}).
     */
    public enum LaneInline { NEG, ABS, SQRT, RELU, FLUSH }

    private final String builtin;
    private final F32 f32;
    private final DoubleUnaryOperator f64;
    private final ScalarForm<Inline> scalar;
    private final LaneForm<LaneInline> lanes;
    private final Recompute recompute;

    UnaryFn(String builtin, F32 f32, DoubleUnaryOperator f64, ScalarForm<Inline> scalar, LaneForm<LaneInline> lanes, Recompute recompute) {
        this.builtin = builtin;
        this.f32 = f32;
        this.f64 = f64;
        this.scalar = scalar;
        this.lanes = lanes;
        this.recompute = recompute;
    }

    public String text() { return name().toLowerCase(Locale.ROOT); }

    /** The builtin function of the language that applies this function elementwise, if any. */
    public Optional<String> builtin() { return Optional.ofNullable(builtin); }

    /** The function exposed as builtin {@code name}. */
    public static Optional<UnaryFn> ofBuiltin(String name) {
        for (UnaryFn f : values()) if (name.equals(f.builtin)) return Optional.of(f);
        return Optional.empty();
    }

    /** The f32 value, bit for bit what generated code computes. */
    public float apply(float x) { return f32.apply(x); }

    /** The value in double precision: the reference the f64 evaluator and the tests use. */
    public double reference(double x) { return f64.applyAsDouble(x); }

    public ScalarForm<Inline> scalar() { return scalar; }

    public LaneForm<LaneInline> lanes() { return lanes; }

    public Recompute recompute() { return recompute; }

    private static ScalarForm<Inline> runtime(String name) { return ScalarForm.call(ScalarMath.class, name, 1); }

    private static ScalarForm<Inline> inline(Inline op) { return new ScalarForm.Inline<>(op); }

    private static LaneForm<LaneInline> lanes(String name) { return new LaneForm.Call<>(VectorMath.class, name, 1); }

    private static LaneForm<LaneInline> inlineLanes(LaneInline op) { return new LaneForm.Inline<>(op); }
}

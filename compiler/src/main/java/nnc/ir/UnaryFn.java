package nnc.ir;

import java.util.Locale;
import java.util.Optional;
import nnc.runtime.kernels.ScalarMath;
import nnc.runtime.kernels.VectorMath;

/**
 * Elementwise functions of one argument, each with its facts as constructor arguments: the builtin it
 * is exposed as, how generated code computes it on a float and on a vector of lanes, and whether fusion
 * may recompute it; its f32 semantics (the bits every back end, the interpreter and constant folding
 * compute) and its f64 reference are the cases of {@link #apply} and {@link #reference}. Either way a
 * function without one of its facts does not compile (the switches have no default). The two are
 * switches rather than a lambda per constant because the JVM links each lambda at first use, ~0.1 ms
 * apiece when nnc starts, and this class is initialised by every compile.
 */
public enum UnaryFn {
    SIGMOID("sigmoid", runtime("sigmoid"), lanes("sigmoid"), Recompute.NEVER),
    TANH("tanh", runtime("tanh"), lanes("tanh"), Recompute.NEVER),
    RELU("relu", inline(Inline.RELU), inlineLanes(LaneInline.RELU), Recompute.NEVER),
    EXP("exp", runtime("exp"), lanes("exp"), Recompute.IN_SHORT_CHAINS),
    LOG("log", runtime("log"), lanes("log"), Recompute.NEVER),
    SQRT("sqrt", runtime("sqrt"), inlineLanes(LaneInline.SQRT), Recompute.NEVER),
    ABS("abs", ScalarForm.call(Math.class, "abs", 1), inlineLanes(LaneInline.ABS), Recompute.NEVER),
    SOFTPLUS("softplus", runtime("softplus"), lanes("softplus"), Recompute.NEVER),
    SILU("silu", runtime("silu"), lanes("silu"), Recompute.NEVER),
    SIN("sin", runtime("sin"), lanes("sin"), Recompute.NEVER),
    COS("cos", runtime("cos"), lanes("cos"), Recompute.NEVER),
    LOG1P("log1p", runtime("log1p"), lanes("log1p"), Recompute.NEVER),
    EXPM1("expm1", runtime("expm1"), lanes("expm1"), Recompute.NEVER),
    /** −1, 0 or +1 (±0 and NaN kept); no gradient. */
    SIGN("sign", runtime("sign"), lanes("sign"), Recompute.NEVER),
    /** The unary minus operator, not a builtin. */
    NEG(null, inline(Inline.NEG), inlineLanes(LaneInline.NEG), Recompute.ALWAYS),
    /** The error function; also gelu's building block. */
    ERF("erf", runtime("erf"), lanes("erf"), Recompute.NEVER),
    /**
     * Subnormal values to +0 (optimiser moments, which otherwise decay into subnormals and stay there), not a builtin.
     * Its lanes are written inline: a fused optimiser kernel holds many of them, and past C2's node-count cutoff a
     * call to {@code VectorMath.flushSubnormal} is not inlined, so its vectors were boxed on every iteration.
     */
    FLUSH(null, runtime("flushSubnormal"), inlineLanes(LaneInline.FLUSH), Recompute.NEVER);

    /** Operators the scalar emitters write inline: {@code -x} and {@code Math.max(x, 0f)}. */
    public enum Inline { NEG, RELU }

    /**
     * {@code FloatVector} operations the vector emitters write inline: {@code neg()}, {@code abs()}, {@code sqrt()},
     * {@code max(0f)}, and {@code x.blend(0f, x.abs().compare(LT, Float.MIN_NORMAL))} (the operations of
     * {@code VectorMath.flushSubnormal}).
     */
    public enum LaneInline { NEG, ABS, SQRT, RELU, FLUSH }

    private final String builtin;
    private final ScalarForm<Inline> scalar;
    private final LaneForm<LaneInline> lanes;
    private final Recompute recompute;

    UnaryFn(String builtin, ScalarForm<Inline> scalar, LaneForm<LaneInline> lanes, Recompute recompute) {
        this.builtin = builtin;
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
    public float apply(float x) {
        return switch (this) {
            case SIGMOID -> ScalarMath.sigmoid(x);
            case TANH -> ScalarMath.tanh(x);
            case RELU -> Math.max(x, 0f);
            case EXP -> ScalarMath.exp(x);
            case LOG -> ScalarMath.log(x);
            case SQRT -> ScalarMath.sqrt(x);
            case ABS -> Math.abs(x);
            case SOFTPLUS -> ScalarMath.softplus(x);
            case SILU -> ScalarMath.silu(x);
            case SIN -> ScalarMath.sin(x);
            case COS -> ScalarMath.cos(x);
            case LOG1P -> ScalarMath.log1p(x);
            case EXPM1 -> ScalarMath.expm1(x);
            case SIGN -> ScalarMath.sign(x);
            case NEG -> -x;
            case ERF -> ScalarMath.erf(x);
            case FLUSH -> ScalarMath.flushSubnormal(x);
        };
    }

    /** The value in double precision: the reference the f64 evaluator and the tests use. */
    public double reference(double x) {
        return switch (this) {
            case SIGMOID -> F64Math.sigmoid(x);
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(x, 0);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SOFTPLUS -> F64Math.softplus(x);
            case SILU -> x / (1 + Math.exp(-x));
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SIGN -> Math.signum(x);
            case NEG -> -x;
            case ERF -> F64Math.erf(x);
            case FLUSH -> Math.abs(x) < Float.MIN_NORMAL ? 0 : x;
        };
    }

    public ScalarForm<Inline> scalar() { return scalar; }

    public LaneForm<LaneInline> lanes() { return lanes; }

    public Recompute recompute() { return recompute; }

    private static ScalarForm<Inline> runtime(String name) { return ScalarForm.call(ScalarMath.class, name, 1); }

    private static ScalarForm<Inline> inline(Inline op) { return new ScalarForm.Inline<>(op); }

    private static LaneForm<LaneInline> lanes(String name) { return new LaneForm.Call<>(VectorMath.class, name, 1); }

    private static LaneForm<LaneInline> inlineLanes(LaneInline op) { return new LaneForm.Inline<>(op); }
}

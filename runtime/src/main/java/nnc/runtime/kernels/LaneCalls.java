package nnc.runtime.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;

/**
 * Constant method handles of {@link VectorMath}'s lane functions, one field per function and named as
 * it, through which generated vector kernels call them ({@code (FloatVector) LaneCalls.exp.invokeExact(x)},
 * or {@code GETSTATIC} and {@code INVOKEVIRTUAL invokeExact} in bytecode), and {@code VectorMath} its
 * own larger pieces.
 *
 * <p>Why not {@code invokestatic}: C2 decides each inlining while it parses, and a method not annotated
 * {@code @ForceInline} (ours cannot be: the annotation counts only in the JDK's own classes) is refused
 * once the method being compiled has more than 18,000 nodes ({@code NodeCountInliningCutoff}, not
 * settable in a product JVM) — even when a {@code CompileCommand} forces it. The Vector API costs
 * 400–800 parse nodes per operation: {@code VectorMath.exp} alone is ~14,400, {@code erf} ~17,500, so a
 * kernel calling two of them, or one of the functions computed in two double halves, passed the limit
 * and the later calls stayed calls, their vectors boxed on every iteration (a gelu backward loop,
 * erf then exp: 131 MB per 2,000 calls over 4,096 floats, 2.73 ns per element; elu's, sin's layers
 * allocated on every step). A call whose caller is a compiled lambda form is delayed instead of
 * refused, and C2 inlines the delayed calls one at a time after the parse, each after the graph has
 * been cleaned, against its live-node limit (40,000 after the dead parse nodes are gone): the same
 * loop through these handles allocates nothing and takes 1.40 ns per element; expm1 and sin, their
 * halves also called through handles, 9.59 → 3.32 and 7.21 → 2.11 ns (one core, JDK 25.0.3, best of
 * the last rounds of a throwaway loop). The handles are {@code static final}: constants to C2, so an
 * {@code invokeExact} on one becomes a direct call of the target, and once inlined the code is that of
 * a direct call. Without the JIT file or {@link InliningHint}'s directive the larger functions are
 * not inlined at all, as before (slower, same bits).
 */
public final class LaneCalls {
    private LaneCalls() {}

    private static final Class<?> F = FloatVector.class;

    public static final MethodHandle exp = unary("exp"), log = unary("log"), tanh = unary("tanh"), sigmoid = unary("sigmoid"),
            silu = unary("silu"), softplus = unary("softplus"), erf = unary("erf"), sin = unary("sin"), cos = unary("cos"),
            expm1 = unary("expm1"), log1p = unary("log1p"), sign = unary("sign");
    /** {@code select(cond, a, b)}. */
    public static final MethodHandle select = handle("select", F, F, F, F);
    /** {@code oneHot(label, first)}. */
    public static final MethodHandle oneHot = handle("oneHot", F, int.class, int.class);
    /** {@code hashUniform(x, salt)}. */
    public static final MethodHandle hashUniform = handle("hashUniform", F, F, F);

    /** VectorMath's pieces: {@code trigHalf(x, part, quadrant)}, {@code expm1Half(x, part)}, {@code log1pHalf(x, part)}, {@code trigBeyond(x, r, quadrant)}. */
    static final MethodHandle trigHalf = handle("trigHalf", F, F, int.class, int.class), expm1Half = handle("expm1Half", F, F, int.class),
            log1pHalf = handle("log1pHalf", F, F, int.class), trigBeyond = handle("trigBeyond", F, F, F, int.class);
    /** {@code hashHalf(x, salt, part)}. */
    static final MethodHandle hashHalf = handle("hashHalf", LongVector.class, IntVector.class, IntVector.class, int.class);

    private static MethodHandle unary(String name) { return handle(name, F, F); }

    private static MethodHandle handle(String name, Class<?> returns, Class<?>... params) {
        try {
            return MethodHandles.lookup().findStatic(VectorMath.class, name, MethodType.methodType(returns, params));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What a call through a handle threw, to rethrow from a method that does not declare {@code
     * Throwable}: unchecked exceptions and errors as they are (the lane functions throw no others).
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}

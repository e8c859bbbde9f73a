package nnc.ir;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * How a vectorised kernel computes an elementwise function on a {@code FloatVector} of lanes, each
 * lane giving the bits of the function's {@link ScalarForm}: a static {@code VectorMath} method, a
 * {@code FloatVector} operation written inline, or none (the kernel stays scalar).
 */
public sealed interface LaneForm<I extends Enum<I>> {
    /**
     * {@code static FloatVector name(FloatVector × arity)} of {@code owner}. The method is resolved
     * only when asked for ({@link #method()}): resolving it loads the Vector API module, which a
     * JVM that only writes Java source (the Maven plugin) may not have.
     */
    record Call<I extends Enum<I>>(Class<?> owner, String name, int arity) implements LaneForm<I> {
        public Method method() {
            try {
                Class<?> vector = Class.forName("jdk.incubator.vector.FloatVector");
                Class<?>[] params = new Class<?>[arity];
                Arrays.fill(params, vector);
                Method m = owner.getMethod(name, params);
                if (m.getReturnType() != vector) throw new IllegalStateException(m + " does not return a FloatVector");
                return m;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no lane method " + owner.getSimpleName() + "." + name, e);
            }
        }
    }

    /** A {@code FloatVector} operation each emitter writes directly ({@code x.neg()}, {@code a.add(b)}). */
    record Inline<I extends Enum<I>>(I op) implements LaneForm<I> {}

    /** No lane form: a kernel computing this function stays scalar. */
    record None<I extends Enum<I>>() implements LaneForm<I> {}

    /** Whether a kernel may compute this function in lanes. */
    default boolean available() { return !(this instanceof None<I>); }
}

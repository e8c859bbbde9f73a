package nnc.ir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * How generated code computes an elementwise function on floats: a call of a static runtime method
 * ({@code ScalarMath.exp}, {@code Math.abs}), or an operator the emitters write inline ({@code -x},
 * {@code a + b}). {@code I} is the enum of inline operators of the function's arity, so an emitter's
 * switch over them is checked for completeness by the compiler.
 */
public sealed interface ScalarForm<I extends Enum<I>> {
    /** {@code static float name(float...)}: the real method, found by reflection when the function's enum is loaded. */
    record Call<I extends Enum<I>>(Method method) implements ScalarForm<I> {
        public Call {
            boolean floats = Arrays.stream(method.getParameterTypes()).allMatch(p -> p == float.class);
            if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != float.class || !floats)
                throw new IllegalArgumentException(method + " is not a static method on floats");
        }
    }

    /** An operator of the JVM (or {@code Math.max(x, 0f)}) written directly by each emitter. */
    record Inline<I extends Enum<I>>(I op) implements ScalarForm<I> {}

    /** The method {@code owner.name(float × arity)}; a missing method fails the function enum's class initialisation. */
    static <I extends Enum<I>> Call<I> call(Class<?> owner, String name, int arity) {
        Class<?>[] params = new Class<?>[arity];
        Arrays.fill(params, float.class);
        try {
            return new Call<>(owner.getMethod(name, params));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no method " + owner.getSimpleName() + "." + name + " on " + arity + " floats", e);
        }
    }
}

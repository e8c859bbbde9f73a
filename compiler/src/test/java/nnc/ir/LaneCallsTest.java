package nnc.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import nnc.runtime.kernels.LaneCalls;
import nnc.runtime.kernels.VectorMath;
import org.junit.jupiter.api.Test;

/**
 * Every lane function a kernel may call has its handle in {@code LaneCalls} (the emitters write {@code
 * LaneCalls.NAME.invokeExact}), typed as the {@code VectorMath} method, a {@code static final} field
 * (a constant to C2, which then calls the target directly), and the handle computes what the method does.
 */
class LaneCallsTest {
    @Test
    void everyLaneFunctionHasAConstantHandleOfItsType() throws Throwable {
        List<LaneForm.Call<?>> calls = new ArrayList<>();
        for (UnaryFn f : UnaryFn.values()) if (f.lanes() instanceof LaneForm.Call<?> c) calls.add(c);
        for (BinaryFn f : BinaryFn.values()) if (f.lanes() instanceof LaneForm.Call<?> c) calls.add(c);
        assertTrue(calls.size() >= 13, "lane calls: " + calls);
        for (LaneForm.Call<?> c : calls) {
            assertEquals(VectorMath.class, c.owner(), c.name());
            Class<?>[] params = new Class<?>[c.arity()];
            Arrays.fill(params, FloatVector.class);
            check(c.name(), MethodType.methodType(FloatVector.class, params));
        }
        check("select", MethodType.methodType(FloatVector.class, FloatVector.class, FloatVector.class, FloatVector.class));
        check("oneHot", MethodType.methodType(FloatVector.class, int.class, int.class));

        FloatVector x = FloatVector.fromArray(VectorMath.SPECIES, new float[] {-3f, -0.5f, 0f, 0.25f, 1f, 2.5f, 7f, Float.NaN}, 0);
        assertArrayEquals(VectorMath.exp(x).toArray(), ((FloatVector) LaneCalls.exp.invokeExact(x)).toArray());
        assertArrayEquals(VectorMath.sin(x).toArray(), ((FloatVector) LaneCalls.sin.invokeExact(x)).toArray());
        assertArrayEquals(VectorMath.oneHot(5, 0).toArray(), ((FloatVector) LaneCalls.oneHot.invokeExact(5, 0)).toArray());
    }

    private static void check(String name, MethodType type) throws ReflectiveOperationException {
        Field f = LaneCalls.class.getField(name);
        assertTrue(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()), name + " is static final");
        assertEquals(type, ((MethodHandle) f.get(null)).type(), name);
    }
}

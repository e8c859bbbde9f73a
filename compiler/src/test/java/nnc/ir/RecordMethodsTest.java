package nnc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import nnc.driver.Compilation;
import nnc.emit.IntExpr;
import nnc.kir.KernelProgram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The records of the IRs (ops, shapes, kernels, kernel expressions, buffers, ...) spell out
 * {@code equals} and {@code hashCode} (a record's own cost a method-handle link on first use);
 * this checks them against what {@link Record} specifies, on every record instance reachable from
 * real compilations: equal to a copy made from its components, unequal once any one component
 * differs, and the hash a record's own gives (h = 31 * h + hash of each component, from 0), so
 * hash-ordered collections iterate as before.
 */
class RecordMethodsTest {
    /** The records that spell out their methods, by class name prefix (other records, such as TensorSpec, hash their own way). */
    private static final List<String> CHECKED = List.of("nnc.ir.", "nnc.kir.", "nnc.types.", "nnc.emit.", "nnc.runtime.Init$");

    @ParameterizedTest
    @ValueSource(strings = {"playground.nn", "lenet.nn", "char_rnn.nn", "tiny_transformer.nn", "fashion_cnn_bn.nn"})
    void everyReachableRecordBehavesAsARecord(String sample) throws Exception {
        Compilation c = Compilation.of(Path.of("..", "samples", sample));
        Map<Class<?>, List<Record>> byClass = new LinkedHashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Graph g : c.optimized().entries()) for (Node n : g.nodes()) collect(n.op(), byClass, seen);
        for (Graph g : c.optimized().entries()) for (Node n : g.nodes()) collect(n.type(), byClass, seen);
        KernelProgram program = c.program();
        collect(program, byClass, seen);
        collect(List.of(new IntExpr.Add(new IntExpr.Lit(3), new IntExpr.Mul(new IntExpr.Var("i"), new IntExpr.Batch()))), byClass, seen);
        assertTrue(byClass.keySet().stream().anyMatch(k -> k.getName().startsWith("nnc.ir.Op$")), "ops reached");
        assertTrue(byClass.keySet().stream().anyMatch(k -> k.getName().startsWith("nnc.kir.Kernel$")), "kernels reached");
        for (List<Record> instances : byClass.values())
            for (Record r : instances.subList(0, Math.min(instances.size(), 40))) checkRecord(r);
    }

    private static void checkRecord(Record r) throws Exception {
        RecordComponent[] components = r.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        int hash = 0;
        for (int i = 0; i < components.length; i++) {
            components[i].getAccessor().setAccessible(true);
            values[i] = components[i].getAccessor().invoke(r);
            hash = 31 * hash + Objects.hashCode(values[i]); // a wrapper's hashCode is its primitive's
        }
        assertEquals(hash, r.hashCode(), () -> "hashCode of " + r.getClass().getName());
        Constructor<?> canonical = r.getClass().getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        canonical.setAccessible(true);
        Object copy = canonical.newInstance(values);
        assertEquals(r, copy, () -> "equals a copy: " + r.getClass().getName());
        assertEquals(copy.hashCode(), r.hashCode());
        assertNotEquals(r, null);
        assertNotEquals(r, new Object());
        for (int i = 0; i < components.length; i++) {
            Object changed = different(components[i].getType(), values[i]);
            if (changed == null) continue;
            Object[] altered = values.clone();
            altered[i] = changed;
            Object other;
            try {
                other = canonical.newInstance(altered);
            } catch (InvocationTargetException rejected) {
                continue; // the constructor's own checks refuse the changed value
            }
            int component = i;
            assertNotEquals(r, other, () -> r.getClass().getName() + " ignores component " + components[component].getName());
        }
    }

    /** A value of {@code type} unequal to {@code value}, or null when none is at hand. */
    private static Object different(Class<?> type, Object value) {
        if (type == int.class) return (Integer) value + 1;
        if (type == long.class) return (Long) value + 1;
        if (type == boolean.class) return !(Boolean) value;
        if (type == float.class) return (float) (double) different(double.class, (double) (Float) value);
        if (type == double.class) {
            double d = (Double) value;
            return d != 0 && Double.isFinite(d) ? d * 2 : d == 0 ? 1.0 : 0.0;
        }
        if (type == String.class) return value + "'";
        if (type == List.class) return value == null ? null : ((List<?>) value).isEmpty() ? null : List.of();
        return null;
    }

    private static void collect(Object o, Map<Class<?>, List<Record>> byClass, Set<Object> seen) throws Exception {
        if (o == null || !seen.add(o)) return;
        if (o instanceof Record r && r.getClass().getName().startsWith("nnc.")) {
            if (CHECKED.stream().anyMatch(r.getClass().getName()::startsWith))
                byClass.computeIfAbsent(r.getClass(), k -> new ArrayList<>()).add(r);
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                rc.getAccessor().setAccessible(true);
                collect(rc.getAccessor().invoke(r), byClass, seen);
            }
        } else if (o instanceof Collection<?> items) {
            for (Object item : items) collect(item, byClass, seen);
        } else if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                collect(e.getKey(), byClass, seen);
                collect(e.getValue(), byClass, seen);
            }
        }
    }
}

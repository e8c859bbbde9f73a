package nnc.emit.bytecode;

import java.util.HashMap;
import java.util.Map;

/** Local variable slots of one generated static method, by the names the Java-source emitter uses. */
final class Locals {
    private final Map<String, Integer> slots = new HashMap<>();
    private int next;

    /** Gives {@code name} the next slot (each local used here takes one slot: int, float or a reference). */
    int declare(String name) {
        Integer old = slots.putIfAbsent(name, next);
        if (old != null) throw new IllegalStateException("local " + name + " declared twice");
        return next++;
    }

    /** The slot of {@code name}, declaring it first if needed. */
    int declareOrGet(String name) {
        Integer s = slots.get(name);
        return s != null ? s : declare(name);
    }

    int slot(String name) {
        Integer s = slots.get(name);
        if (s == null) throw new IllegalStateException("no local named " + name);
        return s;
    }
}

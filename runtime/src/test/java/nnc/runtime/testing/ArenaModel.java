package nnc.runtime.testing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;

/**
 * A hand-written {@link CompiledModel} base for tests: every f32 tensor lives in one shared float
 * arena and every i32 tensor in one int arena, each at a non-zero offset with guard cells between,
 * the way a planned buffer arena lays them out. Subclasses implement the steps.
 */
public abstract class ArenaModel implements CompiledModel {
    /** Cells left free before and between tensors, to catch code that ignores offsets. */
    public static final int GUARD = 3;
    private final ModelInfo info;
    private final int maxBatch;
    protected final float[] floats;
    protected final int[] ints;
    private final Map<String, Integer> offsets = new HashMap<>();

    protected ArenaModel(ModelInfo info, int maxBatch) {
        this.info = info;
        this.maxBatch = maxBatch;
        int f = GUARD, i = GUARD;
        for (TensorSpec t : info.tensors()) {
            int n = t.elementCount(maxBatch);
            if (t.dtype() == DType.F32) {
                offsets.put(t.name(), f);
                f += n + GUARD;
            } else {
                offsets.put(t.name(), i);
                i += n + GUARD;
            }
        }
        floats = new float[f];
        ints = new int[i];
        Arrays.fill(floats, Float.NaN);
        Arrays.fill(ints, Integer.MIN_VALUE);
    }

    @Override public ModelInfo info() { return info; }

    @Override public int maxBatch() { return maxBatch; }

    @Override public float[] floats(String name) {
        if (info.get(name).dtype() != DType.F32) throw new IllegalArgumentException(name + " is not f32");
        return floats;
    }

    @Override public int[] ints(String name) {
        if (info.get(name).dtype() != DType.I32) throw new IllegalArgumentException(name + " is not i32");
        return ints;
    }

    @Override public int offset(String name) {
        Integer off = offsets.get(name);
        if (off == null) throw new IllegalArgumentException("no tensor " + name);
        return off;
    }

    /** The f32 value {@code index} of tensor {@code name}. */
    public float f(String name, int index) { return floats[offset(name) + index]; }

    /** The i32 value {@code index} of tensor {@code name}. */
    public int i(String name, int index) { return ints[offset(name) + index]; }

    /** True while every guard cell of the float arena still holds its NaN. */
    public boolean floatGuardsIntact() {
        int pos = 0;
        for (TensorSpec t : info.tensors()) {
            if (t.dtype() != DType.F32) continue;
            int off = offset(t.name());
            for (int g = pos; g < off; g++) if (!Float.isNaN(floats[g])) return false;
            pos = off + t.elementCount(maxBatch);
        }
        for (int g = pos; g < floats.length; g++) if (!Float.isNaN(floats[g])) return false;
        return true;
    }
}

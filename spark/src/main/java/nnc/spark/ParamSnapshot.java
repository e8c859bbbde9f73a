package nnc.spark;

import java.io.Serializable;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.TensorSpec;

/**
 * The driver's trained tensors (parameters and inference state) at the start of a step, as
 * broadcast to the executors: what a replica needs to compute the step's gradient.
 */
record ParamSnapshot(String[] names, float[][] values) implements Serializable {
    static ParamSnapshot of(CompiledModel m) {
        List<TensorSpec> specs = m.info().trained();
        String[] names = new String[specs.size()];
        float[][] values = new float[specs.size()][];
        for (int i = 0; i < names.length; i++) {
            TensorSpec t = specs.get(i);
            names[i] = t.name();
            int n = t.elementCount(1);
            values[i] = new float[n];
            System.arraycopy(m.floats(t.name()), m.offset(t.name()), values[i], 0, n);
        }
        return new ParamSnapshot(names, values);
    }

    /** Writes the snapshot into {@code m}'s tensors. */
    void loadInto(CompiledModel m) {
        for (int i = 0; i < names.length; i++) System.arraycopy(values[i], 0, m.floats(names[i]), m.offset(names[i]), values[i].length);
    }

    /** Floats in the snapshot. */
    long floats() {
        long n = 0;
        for (float[] v : values) n += v.length;
        return n;
    }
}

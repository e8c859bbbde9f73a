package nnc.spark.ml;

import java.io.Serializable;
import java.util.List;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.parallel.ModelBundle;

/**
 * A classifier's {@code .nn} source and what the Spark ML pair needs of it: its compilation (on the
 * driver only), its single input (features per row) and i32 target, and the output whose last
 * dimension is the number of classes.
 */
record NncModelSource(String text) implements Serializable {
    Compilation compile() {
        try {
            return Compilation.of(new SourceFile("model.nn", text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the model source does not compile: " + e.getMessage(), e);
        }
    }

    /** The data-parallel trainer's class bytes, for up to {@code maxBatch} rows per replica. */
    static ModelBundle bundle(Compilation c, int maxBatch) { return c.bundle(Backend.BYTECODE, maxBatch, true); }

    static TensorSpec input(ModelInfo info) { return single(info, Role.INPUT); }

    static TensorSpec target(ModelInfo info) {
        TensorSpec t = single(info, Role.TARGET);
        if (t.dtype() != DType.I32 || t.rowSize() != 1)
            throw new IllegalArgumentException("model " + info.name() + " is not a classifier: its target " + t.name() + " is " + t.typeText()
                    + ", not i32[batch]");
        return t;
    }

    /** The first output with a batch dimension: its values per row are the classes' scores. */
    static TensorSpec scores(ModelInfo info) {
        return info.tensors().stream().filter(t -> t.role() == Role.OUTPUT && t.hasBatch() && t.dtype() == DType.F32).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + info.name() + " has no f32 output per row"));
    }

    private static TensorSpec single(ModelInfo info, Role role) {
        List<TensorSpec> ts = info.withRole(role);
        if (ts.size() != 1)
            throw new IllegalArgumentException("model " + info.name() + " has " + ts.size() + " " + role.name().toLowerCase() + " tensors; the Spark ML estimator takes one");
        return ts.get(0);
    }
}

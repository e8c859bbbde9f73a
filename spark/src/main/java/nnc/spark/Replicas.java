package nnc.spark;

import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.parallel.ModelBundle;

/**
 * Replicas of a compiled model: its data-parallel trainer compiled once on the driver, shipped as
 * class bytes ({@link ModelBundle}); an executor defines the class once per JVM and bundle.
 */
public final class Replicas {
    private Replicas() {}

    static ReplicaFactory of(Compilation compilation, Backend backend, int maxBatch, boolean simd) {
        return of(compilation.bundle(backend, maxBatch, simd));
    }

    /** Replicas made from {@code bundle}'s class bytes. */
    public static ReplicaFactory of(ModelBundle bundle) { return new BundleFactory(bundle); }

    /** Makes replicas from the bundle's class bytes, needing only nnc-runtime. */
    record BundleFactory(ModelBundle bundle) implements ReplicaFactory {
        @Override public DataParallelModel create(int maxBatch) {
            if (maxBatch > bundle.maxBatch())
                throw new IllegalArgumentException("replicas of " + bundle.className() + " hold " + bundle.maxBatch() + " rows, not " + maxBatch);
            return bundle.instantiate();
        }
    }
}

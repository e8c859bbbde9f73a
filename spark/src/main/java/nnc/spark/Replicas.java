package nnc.spark;

import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.UserError;

/** The replica factory of a compiled model: its data-parallel trainer's class bytes. */
final class Replicas {
    private Replicas() {}

    static ReplicaFactory of(Compilation compilation, Backend backend, int maxBatch, boolean simd) {
        throw new UserError("error: this build of nnc has no data-parallel split of the train step yet (Compilation.bundle)");
    }
}

package nnc.spark;

import java.io.Serializable;
import nnc.runtime.parallel.DataParallelModel;

/**
 * Makes one replica of the model on an executor. The driver broadcasts one factory per run; it
 * carries what an executor needs to build a replica without the compiler (for a compiled model,
 * the generated class bytes), and {@link ReplicaPool} keeps the replicas it made per JVM.
 */
public interface ReplicaFactory extends Serializable {
    /** A new replica whose buffers hold at least {@code maxBatch} rows. */
    DataParallelModel create(int maxBatch);
}

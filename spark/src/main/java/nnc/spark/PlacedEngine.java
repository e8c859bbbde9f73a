package nnc.spark;

import nnc.runtime.CompiledModel;
import nnc.runtime.train.PartitionedRows;

/**
 * A distributed train step over rows kept on the executors, whichever way its partitions meet
 * ({@link SparkDataParallel}: a Spark job per step; {@code BarrierDataParallel}: one barrier stage
 * for the run). {@code Trainer.fit} places the rows through {@link PartitionedRows#begin}; rows
 * placed elsewhere (Spark ML's DataFrame) are given with {@link #place}.
 */
public interface PlacedEngine extends CompiledModel, PartitionedRows, AutoCloseable {
    /** Trains on rows already placed on the executors (the caller keeps and closes them); instead of {@code begin}. */
    void place(CachedPartitions rows);

    /** The rows the steps read (null until placed). */
    CachedPartitions placed();

    /** One line: where the time of the steps so far went. */
    String timing();

    @Override void close();
}

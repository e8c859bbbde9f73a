package nnc.spark;

import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The training rows an engine's steps read: placed by the engine itself from a data set
 * ({@link #begin}; released by {@link #close}) or by the caller ({@link #place}; the caller keeps
 * and closes them).
 */
public final class Placement implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final CompiledModel model;
    private final int partitions;
    private CachedPartitions placed;
    private boolean owned;
    private Dataset from;

    /** For {@code partitions} partitions of {@code model}'s fed tensors. */
    public Placement(JavaSparkContext jsc, CompiledModel model, int partitions) {
        this.jsc = jsc;
        this.model = model;
        this.partitions = partitions;
    }

    /** Rows already placed on the executors, for {@code P} partitions. */
    public void place(CachedPartitions rows) {
        if (rows.ownership().partitions() != partitions)
            throw new IllegalArgumentException("rows placed on " + rows.ownership().partitions() + " partitions for " + partitions);
        close();
        placed = rows;
    }

    /** Whether {@code train}'s rows are placed already, for {@code batch}. */
    public boolean holds(Dataset train, int batch) {
        return placed != null && from == train && placed.ownership().batch() == batch;
    }

    /** Places {@code train}'s rows on the executors, unless they are placed already for {@code batch}. */
    public void begin(Dataset train, int batch) {
        if (holds(train, batch)) return;
        close();
        placed = CachedPartitions.of(jsc, model, train, batch, partitions);
        from = train;
        owned = true;
    }

    /** The placed rows (null until placed). */
    public CachedPartitions placed() { return placed; }

    /** Who keeps which rows. */
    public RowOwnership ownership() {
        if (placed == null) throw new IllegalStateException("no training rows placed: call begin or place first");
        return placed.ownership();
    }

    /** Releases rows {@link #begin} placed; rows {@link #place} was given stay the caller's. */
    @Override public void close() {
        if (placed != null && owned) placed.close();
        placed = null;
        from = null;
        owned = false;
    }
}

package nnc.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.train.BatchFeeder;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * The training rows placed on the executors: an RDD of {@code P} partitions, partition {@code p}
 * holding one {@link PartitionRows} with the rows {@link RowOwnership} gives it, persisted
 * {@code MEMORY_ONLY} and materialised once. A step's task reads its rows from its cached partition,
 * so no row travels with a step. A lost partition is recomputed from its lineage: for rows that
 * came from the driver, from partition {@code p}'s own broadcast (each executor fetches only the
 * partitions it computes); for rows that came from a DataFrame, from the DataFrame.
 */
public final class CachedPartitions implements AutoCloseable {
    private final JavaRDD<PartitionRows> rdd;
    private final RowOwnership ownership;
    private final List<Broadcast<PartitionRows>> broadcasts;

    private CachedPartitions(JavaRDD<PartitionRows> rdd, RowOwnership ownership, List<Broadcast<PartitionRows>> broadcasts) {
        if (rdd.getNumPartitions() != ownership.partitions())
            throw new IllegalArgumentException("an RDD of " + rdd.getNumPartitions() + " partitions for " + ownership.partitions() + " owners");
        this.rdd = rdd;
        this.ownership = ownership;
        this.broadcasts = broadcasts;
    }

    /**
     * Places {@code train}'s rows, as {@code model}'s input and target tensors hold them (the labels
     * adapted as {@link BatchFeeder} does), on {@code partitions} partitions for global batches of
     * {@code batch} rows. Uses {@code model}'s fed tensors as scratch.
     */
    public static CachedPartitions of(JavaSparkContext jsc, CompiledModel model, Dataset train, int batch, int partitions) {
        RowOwnership own = new RowOwnership(train.rows(), batch, partitions);
        BatchFeeder feeder = new BatchFeeder(model, train);
        List<Broadcast<PartitionRows>> bcs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) bcs.add(jsc.broadcast(rowsOf(model, feeder, own, p)));
        List<Broadcast<PartitionRows>> shipped = List.copyOf(bcs);
        JavaRDD<PartitionRows> rdd = jsc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions).map(p -> shipped.get(p).value());
        return cache(rdd, own, bcs);
    }

    /** Persists and materialises {@code rdd}, whose partition {@code p} holds partition {@code p}'s rows of {@code own}. */
    public static CachedPartitions of(JavaRDD<PartitionRows> rdd, RowOwnership own) { return cache(rdd, own, List.of()); }

    private static CachedPartitions cache(JavaRDD<PartitionRows> rdd, RowOwnership own, List<Broadcast<PartitionRows>> bcs) {
        CachedPartitions c = new CachedPartitions(rdd.persist(StorageLevel.MEMORY_ONLY()), own, bcs);
        List<int[]> seen = rdd.map(r -> new int[] {r.partition(), r.start(), r.rows()}).collect();
        for (int p = 0; p < own.partitions(); p++) {
            int[] s = seen.get(p);
            if (s[0] != p || s[1] != own.start(p) || s[2] != own.owned(p))
                throw new IllegalStateException("partition " + p + " holds partition " + s[0] + "'s rows " + s[1] + "+" + s[2]
                        + ", not rows " + own.start(p) + "+" + own.owned(p));
        }
        return c;
    }

    /** Partition {@code p}'s rows of {@code model}'s fed tensors, fed through {@code feeder} at most maxBatch rows at a time. */
    static PartitionRows rowsOf(CompiledModel model, BatchFeeder feeder, RowOwnership own, int p) {
        List<TensorSpec> fed = fedTensors(model);
        int n = own.owned(p), start = own.start(p);
        String[] names = new String[fed.size()];
        int[] widths = new int[fed.size()];
        Object[] values = new Object[fed.size()];
        for (int i = 0; i < names.length; i++) {
            TensorSpec t = fed.get(i);
            names[i] = t.name();
            widths[i] = t.rowSize();
            values[i] = t.dtype() == DType.F32 ? new float[n * widths[i]] : new int[n * widths[i]];
        }
        for (int done = 0; done < n; ) {
            int k = Math.min(model.maxBatch(), n - done);
            feeder.feedRange(start + done, k);
            for (int i = 0; i < names.length; i++) {
                Object src = values[i] instanceof float[] ? model.floats(names[i]) : model.ints(names[i]);
                System.arraycopy(src, model.offset(names[i]), values[i], done * widths[i], k * widths[i]);
            }
            done += k;
        }
        return new PartitionRows(p, start, n, names, widths, values);
    }

    /** The model's input and target tensors, model order: what a step feeds. */
    static List<TensorSpec> fedTensors(CompiledModel model) {
        return model.info().tensors().stream().filter(t -> t.role() == Role.INPUT || t.role() == Role.TARGET).toList();
    }

    /** The persisted RDD: partition {@code p} holds one {@link PartitionRows}, partition {@code p}'s. */
    public JavaRDD<PartitionRows> rdd() { return rdd; }

    public RowOwnership ownership() { return ownership; }

    /** Drops the cached blocks (and the broadcasts they were made from). */
    @Override public void close() {
        rdd.unpersist(false);
        for (Broadcast<PartitionRows> b : broadcasts) b.destroy();
    }
}

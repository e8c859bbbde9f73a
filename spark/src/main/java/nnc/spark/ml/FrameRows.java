package nnc.spark.ml;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;
import nnc.spark.PartitionRows;
import nnc.spark.RowOwnership;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * A DataFrame's (features, label) rows placed on the executors for training, never collected: each
 * row gets its global index (the DataFrame's partitions' row counts first, then offset + position),
 * is checked and converted where it is (a complaint names the column and that index), and is sent to
 * the partition that owns its index ({@link RowOwnership}); each partition writes its rows at
 * {@code index - start}, so the result does not depend on the order the shuffle delivers them in.
 */
final class FrameRows {
    private FrameRows() {}

    /** How a model reads a row: the columns, its input (f32 or i32, {@code width} values) and i32 class target. */
    record Layout(String featuresCol, String labelCol, String input, boolean intInput, int width, String target, int classes)
            implements Serializable {
        static Layout of(ModelInfo info, String featuresCol, String labelCol) {
            TensorSpec in = NncModelSource.input(info);
            TensorSpec target = NncModelSource.target(info);
            return new Layout(featuresCol, labelCol, in.name(), in.dtype() == DType.I32, in.rowSize(), target.name(),
                    NncModelSource.scores(info).rowSize());
        }

        /** Row {@code index}'s features then its label (as a float), checked. */
        float[] convert(Row row, long index) {
            float[] v = new float[width + 1];
            FeatureRows.features(row, 0, featuresCol, index, width, v, 0);
            if (intInput) {
                for (int i = 0; i < width; i++)
                    if (v[i] != Math.rint(v[i]))
                        throw new IllegalArgumentException("column " + featuresCol + ", row " + index + ": feature " + i + " is " + v[i]
                                + ", not a whole number (the model's input " + input + " is i32)");
            }
            v[width] = FeatureRows.label(row, 1, labelCol, index, classes);
            return v;
        }
    }

    /** Rows in each of the DataFrame's partitions, in partition order. */
    static long[] counts(JavaRDD<Row> rows) {
        List<Long> c = rows.mapPartitions(it -> {
            long n = 0;
            for (; it.hasNext(); it.next()) n++;
            return List.of(n).iterator();
        }).collect();
        return c.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The RDD whose partition {@code p} holds partition {@code p}'s rows of {@code own}, from
     * {@code rows} (the features and label columns) whose partitions hold {@code counts} rows.
     */
    static JavaRDD<PartitionRows> place(JavaRDD<Row> rows, long[] counts, RowOwnership own, Layout layout) {
        long[] offsets = new long[counts.length];
        for (int p = 1; p < counts.length; p++) offsets[p] = offsets[p - 1] + counts[p - 1];
        JavaRDD<Tuple2<Long, float[]>> indexed = rows.mapPartitionsWithIndex((p, it) -> new Indexed(it, offsets[p], layout), true);
        JavaPairRDD<Long, float[]> owned = JavaPairRDD.fromJavaRDD(indexed).partitionBy(new OwnerPartitioner(own));
        return owned.mapPartitionsWithIndex((p, it) -> List.of(gather(p, it, own, layout)).iterator(), true);
    }

    /** Partition {@code p}'s rows, each written at its place. */
    static PartitionRows gather(int p, Iterator<Tuple2<Long, float[]>> it, RowOwnership own, Layout layout) {
        int n = own.owned(p), start = own.start(p), w = layout.width();
        float[] xf = layout.intInput() ? null : new float[n * w];
        int[] xi = layout.intInput() ? new int[n * w] : null;
        int[] y = new int[n];
        boolean[] seen = new boolean[n];
        int count = 0;
        while (it.hasNext()) {
            Tuple2<Long, float[]> t = it.next();
            long local = t._1() - start;
            if (local < 0 || local >= n || seen[(int) local])
                throw new IllegalStateException("row " + t._1() + " sent to partition " + p + ", which owns rows " + start + ".." + (start + n - 1));
            int r = (int) local;
            seen[r] = true;
            count++;
            float[] v = t._2();
            for (int i = 0; i < w; i++) {
                if (xf != null) xf[r * w + i] = v[i];
                else xi[r * w + i] = (int) v[i];
            }
            y[r] = (int) v[w];
        }
        if (count != n) throw new IllegalStateException("partition " + p + " received " + count + " of its " + n + " rows");
        return new PartitionRows(p, start, n, new String[] {layout.input(), layout.target()}, new int[] {w, 1},
                new Object[] {xf != null ? xf : xi, y});
    }

    /** Sends a row to the partition that owns its global index. */
    static final class OwnerPartitioner extends Partitioner {
        private final RowOwnership own;

        OwnerPartitioner(RowOwnership own) { this.own = own; }

        @Override public int numPartitions() { return own.partitions(); }

        @Override public int getPartition(Object key) { return own.owner((Long) key); }

        @Override public boolean equals(Object o) { return o instanceof OwnerPartitioner other && other.own == own; }

        @Override public int hashCode() { return System.identityHashCode(own); }
    }

    /** A partition's rows with their global indices, converted one by one as they are read. */
    private static final class Indexed implements Iterator<Tuple2<Long, float[]>> {
        private final Iterator<Row> rows;
        private final Layout layout;
        private long next;

        Indexed(Iterator<Row> rows, long first, Layout layout) {
            this.rows = rows;
            this.next = first;
            this.layout = layout;
        }

        @Override public boolean hasNext() { return rows.hasNext(); }

        @Override public Tuple2<Long, float[]> next() {
            if (!rows.hasNext()) throw new NoSuchElementException();
            long index = next++;
            return new Tuple2<>(index, layout.convert(rows.next(), index));
        }
    }
}

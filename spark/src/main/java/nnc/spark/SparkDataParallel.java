package nnc.spark;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import nnc.runtime.CompiledModel;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.train.PartitionedRows;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's view of a model trained on Spark: a {@link CompiledModel} whose {@link #trainStep}
 * is one synchronous data-parallel step, so the one-machine training loop ({@code Trainer.fit})
 * drives it unchanged (epochs, schedules, validation, early stopping, checkpoints).
 *
 * <p>The training rows stay on the executors ({@link PartitionedRows}): {@link #begin} places them
 * in a cached RDD of {@code P} partitions ({@link CachedPartitions}; or {@link #place} takes rows
 * already placed), partition {@code p} owning the rows {@link RowOwnership} gives it, and the epochs
 * visit them in the ownership's order: one machine's batches, each grouped by owner. A step of
 * {@code b} rows gives partition {@code p} the rows of the batch it owns (contiguous positions of the
 * global batch); it broadcasts the
 * driver's parameters and runs one Spark job of {@code P} tasks over the cached partitions, shipping
 * each task only the local indices of its rows. Each task computes its share's gradient on its JVM's
 * cached replica with weight {@code count/b}. The driver sums the contributions in partition order
 * (whatever order the tasks ended in) and applies the optimiser once, on its own replica, exactly
 * as one machine would. Every other entry (evaluate, predict, the tensors) is the driver replica's.
 */
public final class SparkDataParallel implements PlacedEngine {
    private static final AtomicLong RUNS = new AtomicLong();

    private final JavaSparkContext jsc;
    private final DataParallelModel driver;
    private final CompiledModel local;
    private final int partitions;
    private final long runId;
    private final Broadcast<ReplicaFactory> factory;
    private final List<TensorSpec> outputs;
    private final float[] exchange;
    private final StepClock clock = new StepClock();
    private final Placement placement;
    private StepShare[] shares;

    /**
     * @param driver     the driver's replica: it holds the run's parameters and optimiser state
     * @param factory    makes the executors' replicas (sent once, in a broadcast)
     * @param partitions P, the number of shares of each global batch
     */
    public SparkDataParallel(JavaSparkContext jsc, DataParallelModel driver, ReplicaFactory factory, int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        this.jsc = jsc;
        this.driver = driver;
        this.local = driver.model();
        this.partitions = partitions;
        this.runId = RUNS.incrementAndGet() ^ System.nanoTime() << 20;
        this.factory = jsc.broadcast(factory);
        this.placement = new Placement(jsc, local, partitions);
        this.outputs = StepTask.batchOutputs(local);
        this.exchange = new float[driver.exchangeLength()];
    }

    public int partitions() { return partitions; }

    /** Where the time of the steps so far went. */
    public StepClock clock() { return clock; }

    @Override public void place(CachedPartitions rows) { placement.place(rows); }

    @Override public CachedPartitions placed() { return placement.placed(); }

    @Override public String timing() { return "spark: " + clock; }

    /** Places {@code train}'s rows on the executors, unless this engine placed them already for {@code batch}. */
    @Override public void begin(Dataset train, int batch) { placement.begin(train, batch); }

    @Override public void fillOrder(int[] order, long seed, int epoch, boolean shuffle) {
        placement.ownership().fill(order, seed, epoch, shuffle);
    }

    /** Splits the step's global rows into the partitions' shares, as local indices into the rows each owns. */
    @Override public void stepRows(int[] order, int from, int count) {
        RowOwnership own = placement.ownership();
        int[] first = own.shares(order, from, count);
        StepShare[] next = new StepShare[partitions];
        for (int p = 0; p < partitions; p++) {
            int c = first[p + 1] - first[p], start = own.start(p);
            int[] rows = new int[c];
            for (int i = 0; i < c; i++) rows[i] = order[from + first[p] + i] - start;
            next[p] = new StepShare(p, first[p], c, (float) c / count, rows);
        }
        shares = next;
    }

    /** What the next step ships to its tasks. */
    StepFunction stepFunction(Broadcast<ParamSnapshot> params) {
        return new StepFunction(shares, runId, local.maxBatch(), factory, params);
    }

    /** One synchronous step on the rows named by the last {@link #stepRows} (which must hold {@code batch} rows). */
    @Override public void trainStep(int batch) {
        if (shares == null) throw new IllegalStateException("trainStep(" + batch + ") without stepRows: the step's rows are unknown");
        int named = 0;
        for (StepShare s : shares) named += s.count();
        if (named != batch) throw new IllegalStateException("trainStep(" + batch + ") after stepRows named " + named + " rows");
        long t0 = System.nanoTime();
        ParamSnapshot snapshot = ParamSnapshot.of(local);
        Broadcast<ParamSnapshot> params = jsc.broadcast(snapshot);
        long t1 = System.nanoTime();
        List<StepResult> results;
        try {
            results = placement.placed().rdd().mapPartitionsWithIndex(stepFunction(params), true).collect();
        } finally {
            params.destroy();
        }
        long t2 = System.nanoTime();
        long slowest = 0;
        boolean first = true;
        for (int p = 0; p < partitions; p++) {
            StepResult r = results.get(p);
            if (r.partition() != p) throw new IllegalStateException("result of partition " + r.partition() + " at position " + p);
            slowest = Math.max(slowest, r.computeNanos());
            StepShare s = shares[p];
            if (s.count() == 0) continue;
            float[] c = r.contribution();
            if (first) System.arraycopy(c, 0, exchange, 0, exchange.length);
            else for (int i = 0; i < exchange.length; i++) exchange[i] += c[i];
            first = false;
            writeOutputs(r.outputs(), s.first(), s.count());
        }
        shares = null;
        driver.applyStep(exchange, 0);
        long t3 = System.nanoTime();
        clock.steps++;
        clock.jobNanos += t2 - t1;
        clock.computeNanos += slowest;
        clock.driverNanos += (t1 - t0) + (t3 - t2);
        clock.exchangedFloats += partitions * (snapshot.floats() + exchange.length);
    }

    private void writeOutputs(float[] rows, int first, int count) {
        int at = 0;
        for (TensorSpec t : outputs) {
            int n = t.rowSize() * count;
            System.arraycopy(rows, at, local.floats(t.name()), local.offset(t.name()) + first * t.rowSize(), n);
            at += n;
        }
    }

    @Override public ModelInfo info() { return local.info(); }

    @Override public int maxBatch() { return local.maxBatch(); }

    @Override public float[] floats(String name) { return local.floats(name); }

    @Override public int[] ints(String name) { return local.ints(name); }

    @Override public int offset(String name) { return local.offset(name); }

    @Override public void evaluate(int batch) { local.evaluate(batch); }

    @Override public void predict(int batch) { local.predict(batch); }

    @Override public float loss() { return local.loss(); }

    /** Releases the run's broadcast and the rows {@link #begin} placed (the Spark context stays open: it belongs to the caller). */
    @Override public void close() {
        try {
            placement.close();
        } finally {
            factory.destroy();
        }
    }

}

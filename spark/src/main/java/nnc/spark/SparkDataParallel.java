package nnc.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.parallel.DataParallelModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's view of a model trained on Spark: a {@link CompiledModel} whose {@link #trainStep}
 * is one synchronous data-parallel step, so the one-machine training loop ({@code Trainer.fit})
 * drives it unchanged (epochs, shuffling, schedules, validation, early stopping, checkpoints).
 *
 * <p>A step splits the fed batch of {@code b} rows into {@code P} contiguous shares (partition
 * {@code p} takes rows {@code p*b/P .. (p+1)*b/P - 1}), broadcasts the driver's parameters, and
 * runs one Spark job of {@code P} tasks; each task computes its share's gradient on its JVM's
 * cached replica with weight {@code count/b}. The driver sums the contributions in partition order
 * (whatever order the tasks ended in) and applies the optimiser once, on its own replica, exactly
 * as one machine would. Every other entry (evaluate, predict, the tensors) is the driver replica's.
 */
public final class SparkDataParallel implements CompiledModel, AutoCloseable {
    private static final AtomicLong RUNS = new AtomicLong();

    private final JavaSparkContext jsc;
    private final DataParallelModel driver;
    private final CompiledModel local;
    private final int partitions;
    private final long runId;
    private final Broadcast<ReplicaFactory> factory;
    private final List<TensorSpec> fed = new ArrayList<>();
    private final List<TensorSpec> outputs;
    private final float[] exchange;
    private final StepClock clock = new StepClock();

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
        for (TensorSpec t : local.info().tensors()) if (t.role() == Role.INPUT || t.role() == Role.TARGET) fed.add(t);
        this.outputs = StepTask.batchOutputs(local);
        this.exchange = new float[driver.exchangeLength()];
    }

    public int partitions() { return partitions; }

    /** Where the time of the steps so far went. */
    public StepClock clock() { return clock; }

    @Override public void trainStep(int batch) {
        long t0 = System.nanoTime();
        List<StepShare> shares = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) shares.add(share(p, batch));
        ParamSnapshot snapshot = ParamSnapshot.of(local);
        Broadcast<ParamSnapshot> params = jsc.broadcast(snapshot);
        long t1 = System.nanoTime();
        List<StepResult> results;
        try {
            long id = runId;
            int maxBatch = local.maxBatch();
            Broadcast<ReplicaFactory> f = factory;
            results = jsc.parallelize(shares, partitions).map(s -> StepTask.run(s, id, maxBatch, f, params)).collect();
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
            StepShare s = shares.get(p);
            if (s.count() == 0) continue;
            float[] c = r.contribution();
            if (first) System.arraycopy(c, 0, exchange, 0, exchange.length);
            else for (int i = 0; i < exchange.length; i++) exchange[i] += c[i];
            first = false;
            writeOutputs(r.outputs(), s.first(), s.count());
        }
        driver.applyStep(exchange, 0);
        long t3 = System.nanoTime();
        clock.steps++;
        clock.jobNanos += t2 - t1;
        clock.computeNanos += slowest;
        clock.driverNanos += (t1 - t0) + (t3 - t2);
        clock.exchangedFloats += partitions * (snapshot.floats() + exchange.length);
    }

    /** Partition {@code p}'s rows of the fed batch. */
    private StepShare share(int p, int batch) {
        int first = (int) ((long) p * batch / partitions);
        int count = (int) ((long) (p + 1) * batch / partitions) - first;
        String[] names = new String[fed.size()];
        Object[] rows = new Object[fed.size()];
        for (int i = 0; i < names.length; i++) {
            TensorSpec t = fed.get(i);
            names[i] = t.name();
            int w = t.rowSize(), at = local.offset(t.name()) + first * w;
            rows[i] = t.dtype() == DType.F32 ? copy(local.floats(t.name()), at, count * w) : copy(local.ints(t.name()), at, count * w);
        }
        return new StepShare(p, first, count, (float) count / batch, names, rows);
    }

    private void writeOutputs(float[] rows, int first, int count) {
        int at = 0;
        for (TensorSpec t : outputs) {
            int n = t.rowSize() * count;
            System.arraycopy(rows, at, local.floats(t.name()), local.offset(t.name()) + first * t.rowSize(), n);
            at += n;
        }
    }

    private static float[] copy(float[] a, int from, int n) {
        float[] r = new float[n];
        System.arraycopy(a, from, r, 0, n);
        return r;
    }

    private static int[] copy(int[] a, int from, int n) {
        int[] r = new int[n];
        System.arraycopy(a, from, r, 0, n);
        return r;
    }

    @Override public ModelInfo info() { return local.info(); }

    @Override public int maxBatch() { return local.maxBatch(); }

    @Override public float[] floats(String name) { return local.floats(name); }

    @Override public int[] ints(String name) { return local.ints(name); }

    @Override public int offset(String name) { return local.offset(name); }

    @Override public void evaluate(int batch) { local.evaluate(batch); }

    @Override public void predict(int batch) { local.predict(batch); }

    @Override public float loss() { return local.loss(); }

    /** Releases the run's broadcast (the Spark context stays open: it belongs to the caller). */
    @Override public void close() {
        factory.destroy();
    }
}

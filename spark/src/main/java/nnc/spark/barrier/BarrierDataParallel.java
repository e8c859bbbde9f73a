package nnc.spark.barrier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import nnc.runtime.CompiledModel;
import nnc.runtime.ModelInfo;
import nnc.runtime.data.Dataset;
import nnc.runtime.parallel.DataParallelModel;
import nnc.spark.CachedPartitions;
import nnc.spark.PartitionRows;
import nnc.spark.PlacedEngine;
import nnc.spark.Placement;
import nnc.spark.ReplicaFactory;
import nnc.spark.RowOwnership;
import nnc.spark.SparkDataParallel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Data-parallel training in one long-running Spark barrier stage ({@code --sync barrier}): the same
 * rows, steps and arithmetic as the per-step job of {@link SparkDataParallel} (the rows cached on the
 * executors by {@link CachedPartitions}, each step one machine's batch grouped by owner, partition
 * {@code p}'s share weighted {@code count/b}; the driver sums the contributions in partition order and
 * applies the optimiser on its own replica), so the two give the same bits for the same P. Only the
 * transport differs: one barrier job of P tasks over the cached partitions runs for the whole run,
 * each task keeps one replica, its partition's rows and a socket to the driver's {@link Coordinator},
 * and a step is one round trip per task (the parameters out, the share's local row indices out, the
 * contribution back) instead of a Spark job.
 *
 * <p>When a task dies, Spark fails and relaunches the whole barrier stage; the driver drops the old
 * attempt's connections, waits for the new attempt's P tasks and redoes the current step from the
 * parameters it holds, so the run ends with the uninterrupted run's bits.
 */
public final class BarrierDataParallel implements PlacedEngine {
    /** How long the driver waits for a barrier stage's P tasks to connect (at the start and after a relaunch). */
    public static final long CONNECT_TIMEOUT_MS = 120_000;
    private static final AtomicLong RUNS = new AtomicLong();

    private final JavaSparkContext jsc;
    private final DataParallelModel driver;
    private final CompiledModel local;
    private final int partitions;
    private final Broadcast<ReplicaFactory> factory;
    private final Coordinator coordinator;
    private final StepMessages messages;
    private final float[] exchange;
    private final float[][] contributions;
    private final String jobGroup;
    private Thread job;
    private final Placement placement;
    private final int[] shareFirst;
    private boolean stepNamed;
    private final int[][] shareRows;
    private final AtomicReference<Throwable> jobFailure = new AtomicReference<>();
    private final long connectTimeoutMs;
    private final BarrierClock clock = new BarrierClock();
    private boolean closed;

    public BarrierDataParallel(JavaSparkContext jsc, DataParallelModel driver, ReplicaFactory factory, int partitions) {
        this(jsc, driver, factory, partitions, CONNECT_TIMEOUT_MS);
    }

    /**
     * Prepares the run; its barrier job starts with the first step, over the rows placed by then
     * ({@link #begin} or {@link #place}), and its tasks connect in that step.
     *
     * @param driver     the driver's replica: it holds the run's parameters and optimiser state
     * @param factory    makes the tasks' replicas (sent once, in a broadcast)
     * @param partitions P, the number of shares of each global batch and of barrier tasks
     * @throws IllegalStateException when the cluster has fewer than P task slots
     */
    public BarrierDataParallel(JavaSparkContext jsc, DataParallelModel driver, ReplicaFactory factory, int partitions, long connectTimeoutMs) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        int slots = TaskSlots.await(jsc, partitions, connectTimeoutMs);
        if (slots < partitions)
            throw new IllegalStateException("--sync barrier runs its " + partitions + " partitions as " + partitions
                    + " tasks at once, but the cluster has " + slots + " task slot" + (slots == 1 ? "" : "s")
                    + ": use --partitions " + Math.max(1, slots) + " or fewer, a bigger cluster, or --sync job");
        this.jsc = jsc;
        this.driver = driver;
        this.local = driver.model();
        this.partitions = partitions;
        this.connectTimeoutMs = connectTimeoutMs;
        this.messages = new StepMessages(local);
        this.exchange = new float[driver.exchangeLength()];
        this.contributions = new float[partitions][driver.exchangeLength()];
        String host = jsc.getConf().get("spark.driver.host", "127.0.0.1");
        try {
            this.coordinator = new Coordinator(host, partitions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the driver's host " + host, e);
        }
        this.factory = jsc.broadcast(factory);
        this.placement = new Placement(jsc, local, partitions);
        this.jobGroup = "nnc-barrier-" + (RUNS.incrementAndGet() ^ System.nanoTime() << 20);
        this.shareRows = new int[partitions][local.maxBatch()];
        this.shareFirst = new int[partitions + 1];
    }

    /** Starts the barrier job of P tasks over the placed rows, on a driver thread (it runs until {@link #close}). */
    private void startJob() {
        placement.ownership(); // fails when no rows are placed
        RDD<PartitionRows> rdd = placement.placed().rdd().rdd();
        Worker worker = new Worker(coordinator.host(), coordinator.port(), coordinator.token(), local.maxBatch(), factory);
        ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
        job = new Thread(() -> {
            jsc.setJobGroup(jobGroup, "nnc barrier training", true);
            try {
                // through a shuffle, so the barrier stage is a map stage: Spark relaunches a failed barrier map stage but aborts a result stage
                rdd.barrier().mapPartitions(worker, false, tag).toJavaRDD().repartition(1).count();
            } catch (Throwable t) {
                jobFailure.compareAndSet(null, t);
            }
            jobFailure.compareAndSet(null, new IllegalStateException("the barrier job ended"));
        }, jobGroup + "-job");
        job.setDaemon(true);
        job.start();
    }

    @Override public void place(CachedPartitions rows) {
        if (job != null) throw new IllegalStateException("the barrier stage already runs over other rows");
        placement.place(rows);
    }

    @Override public CachedPartitions placed() { return placement.placed(); }

    /** Places {@code train}'s rows on the executors, unless this engine placed them already for {@code batch}. */
    @Override public void begin(Dataset train, int batch) {
        if (placement.holds(train, batch)) return;
        if (job != null) throw new IllegalStateException("the barrier stage already runs over other rows");
        placement.begin(train, batch);
    }

    @Override public void fillOrder(int[] order, long seed, int epoch, boolean shuffle) {
        placement.ownership().fill(order, seed, epoch, shuffle);
    }

    /** The step's rows as each partition's local indices (its share of the batch, contiguous, grouped by owner). */
    @Override public void stepRows(int[] order, int from, int count) {
        RowOwnership own = placement.ownership();
        int[] first = own.shares(order, from, count, shareFirst);
        for (int p = 0; p < partitions; p++)
            for (int i = first[p], start = own.start(p); i < first[p + 1]; i++) shareRows[p][i - first[p]] = order[from + i] - start;
        stepNamed = true;
    }

    @Override public String timing() { return "spark barrier: " + clock; }

    public int partitions() { return partitions; }

    /** Where the time of the steps so far went. */
    public BarrierClock clock() { return clock; }

    /** One synchronous step on the rows named by the last {@link #stepRows} (which must hold {@code batch} rows). */
    @Override public void trainStep(int batch) {
        if (closed) throw new IllegalStateException("the barrier run is closed");
        if (!stepNamed) throw new IllegalStateException("trainStep(" + batch + ") without stepRows: the step's rows are unknown");
        if (shareFirst[partitions] != batch)
            throw new IllegalStateException("trainStep(" + batch + ") after stepRows named " + shareFirst[partitions] + " rows");
        if (job == null) startJob();
        long t0 = System.nanoTime();
        long slowest;
        int retries = 0;
        while (true) {
            try {
                if (!coordinator.complete()) {
                    coordinator.awaitAll(jobFailure::get, connectTimeoutMs, this::notConnected);
                    long now = System.nanoTime();
                    clock.connectNanos += now - t0;
                    t0 = now;
                }
                slowest = exchange(batch);
                break;
            } catch (IOException e) {
                // a task or its executor died: Spark relaunches the stage; redo this step with its new tasks
                if (++retries > 8) throw new UncheckedIOException("the barrier stage kept failing", e);
                coordinator.dropAll(coordinator.attempt() + 1);
                clock.relaunches++;
            }
        }
        long t1 = System.nanoTime();
        boolean first = true;
        for (int p = 0; p < partitions; p++) {
            if (count(p) == 0) continue;
            float[] c = contributions[p];
            if (first) System.arraycopy(c, 0, exchange, 0, exchange.length);
            else for (int i = 0; i < exchange.length; i++) exchange[i] += c[i];
            first = false;
        }
        stepNamed = false;
        driver.applyStep(exchange, 0);
        long t2 = System.nanoTime();
        clock.steps++;
        clock.roundTripNanos += t1 - t0;
        clock.computeNanos += slowest;
        clock.driverNanos += t2 - t1;
        clock.exchangedFloats += partitions * (messages.trainedFloats() + exchange.length);
    }

    /** One round trip with every task: sends each its share, then reads the results in partition order; returns the slowest compute. */
    private long exchange(int batch) throws IOException {
        for (int p = 0; p < partitions; p++) {
            int count = count(p);
            if (count > 0) messages.sendStep(coordinator.wire(p), local, shareFirst[p], count, (float) count / batch, shareRows[p]);
        }
        long slowest = 0;
        for (int p = 0; p < partitions; p++) {
            int count = count(p);
            if (count > 0) slowest = Math.max(slowest, messages.receiveResult(coordinator.wire(p), local, contributions[p], shareFirst[p], count));
        }
        return slowest;
    }

    private int count(int p) { return shareFirst[p + 1] - shareFirst[p]; }

    private String notConnected() {
        return "the barrier stage's " + partitions + " tasks did not all connect within " + connectTimeoutMs / 1000
                + " s: --sync barrier needs " + partitions + " free task slots at once, and the cluster has "
                + TaskSlots.count(jsc) + " (use fewer --partitions or --sync job)";
    }

    @Override public ModelInfo info() { return local.info(); }

    @Override public int maxBatch() { return local.maxBatch(); }

    @Override public float[] floats(String name) { return local.floats(name); }

    @Override public int[] ints(String name) { return local.ints(name); }

    @Override public int offset(String name) { return local.offset(name); }

    @Override public void evaluate(int batch) { local.evaluate(batch); }

    @Override public void predict(int batch) { local.predict(batch); }

    @Override public float loss() { return local.loss(); }

    /**
     * Tells the tasks to finish, waits for the job to end (cancelling it if it does not), and
     * releases the socket and the broadcast; the Spark context stays open (it belongs to the caller).
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        try {
            if (job == null) {
                coordinator.close();
                return;
            }
            boolean running = coordinator.complete();
            if (running) coordinator.finish();
            coordinator.close();
            if (running) job.join(10_000);
            // cancel until the job thread ends: a cancel sent before the thread submitted its job would do nothing
            for (int i = 0; i < 150 && job.isAlive(); i++) {
                jsc.cancelJobGroup(jobGroup);
                job.join(200);
            }
        } catch (InterruptedException e) {
            jsc.cancelJobGroup(jobGroup);
            Thread.currentThread().interrupt();
        } finally {
            try {
                placement.close();
            } finally {
                factory.destroy();
            }
        }
    }

}

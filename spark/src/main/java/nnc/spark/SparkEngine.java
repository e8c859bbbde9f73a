package nnc.spark;

import nnc.driver.DistributedTraining.Sync;
import nnc.runtime.parallel.DataParallelModel;
import nnc.spark.barrier.BarrierDataParallel;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The engine a run's {@code sync} selects: {@link Sync#JOB} is {@link SparkDataParallel} (a Spark
 * job per step), {@link Sync#BARRIER} is {@link BarrierDataParallel} (one barrier stage for the run).
 * Both train on rows kept on the executors and give the same bits for the same P.
 */
public final class SparkEngine {
    private SparkEngine() {}

    /**
     * Opens {@code sync}'s engine on {@code jsc} (the Spark context stays the caller's).
     *
     * @throws IllegalStateException for {@code barrier} when the cluster has fewer than {@code partitions} task slots
     */
    public static PlacedEngine open(JavaSparkContext jsc, DataParallelModel driver, ReplicaFactory factory, int partitions, Sync sync) {
        return switch (sync) {
            case JOB -> new SparkDataParallel(jsc, driver, factory, partitions);
            case BARRIER -> new BarrierDataParallel(jsc, driver, factory, partitions);
        };
    }
}

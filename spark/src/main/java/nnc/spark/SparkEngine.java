package nnc.spark;

import java.util.function.Supplier;
import nnc.driver.DistributedTraining.Sync;
import nnc.runtime.CompiledModel;
import nnc.runtime.parallel.DataParallelModel;
import nnc.spark.barrier.BarrierDataParallel;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The engine a run's {@code sync} selects, behind one face: the driver's model (a train step is
 * distributed), its timing line, and its close (the Spark context stays the caller's).
 * {@link Sync#JOB} is {@link SparkDataParallel}, {@link Sync#BARRIER} is {@link BarrierDataParallel}.
 */
public record SparkEngine(CompiledModel model, Supplier<String> timing, Runnable closer) implements AutoCloseable {
    /**
     * Opens {@code sync}'s engine on {@code jsc}.
     *
     * @throws IllegalStateException for {@code barrier} when the cluster has fewer than {@code partitions} task slots
     */
    public static SparkEngine open(JavaSparkContext jsc, DataParallelModel driver, ReplicaFactory factory, int partitions, Sync sync) {
        return switch (sync) {
            case JOB -> {
                SparkDataParallel m = new SparkDataParallel(jsc, driver, factory, partitions);
                yield new SparkEngine(m, () -> "spark: " + m.clock(), m::close);
            }
            case BARRIER -> {
                BarrierDataParallel m = new BarrierDataParallel(jsc, driver, factory, partitions);
                yield new SparkEngine(m, () -> "spark barrier: " + m.clock(), m::close);
            }
        };
    }

    @Override public void close() { closer.run(); }
}

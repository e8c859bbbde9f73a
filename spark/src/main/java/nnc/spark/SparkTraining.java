package nnc.spark;

import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.DistributedTraining;
import nnc.driver.UserError;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.parallel.DataParallelModel;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code nnc train --spark MASTER}: compiles the data-parallel trainer once on the driver, ships its
 * class bytes to the executors in a broadcast, and trains through {@link SparkDataParallel}.
 */
public final class SparkTraining implements DistributedTraining {
    @Override public String name() { return "spark"; }

    @Override public Session open(Compilation compilation, Backend backend, int maxBatch, boolean simd, Numerics.Mode numerics,
                                  String master, int partitions) {
        ReplicaFactory factory = Replicas.of(compilation, backend, maxBatch, simd);
        DataParallelModel driver = factory.create(maxBatch);
        JavaSparkContext jsc;
        try {
            jsc = SparkContexts.start(SparkContexts.conf(master, "nnc train " + compilation.name()));
        } catch (RuntimeException e) {
            throw new UserError("error: cannot start Spark on master " + master + ": " + e.getMessage(), e);
        }
        SparkDataParallel model = new SparkDataParallel(jsc, driver, factory, partitions);
        return new Session() {
            @Override public CompiledModel model() { return model; }

            @Override public String describe() {
                return String.format("on Spark %s (%s), %d partitions per batch, %d executor slots", master, jsc.version(), partitions,
                        jsc.defaultParallelism());
            }

            @Override public String timing() { return "spark: " + model.clock(); }

            @Override public void close() {
                try {
                    model.close();
                } finally {
                    jsc.stop();
                }
            }
        };
    }
}

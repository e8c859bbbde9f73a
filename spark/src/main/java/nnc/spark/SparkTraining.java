package nnc.spark;

import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.DistributedTraining;
import nnc.driver.DistributedTraining.Sync;
import nnc.driver.UserError;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.parallel.DataParallelModel;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code nnc train --spark MASTER}: compiles the data-parallel trainer once on the driver, ships its
 * class bytes to the executors in a broadcast, and trains through the engine {@code --sync} selects
 * ({@link SparkEngine}: a Spark job per step, or one barrier stage for the run).
 */
public final class SparkTraining implements DistributedTraining {
    @Override public String name() { return "spark"; }

    @Override public Session open(Compilation compilation, Backend backend, int maxBatch, boolean simd, Numerics.Mode numerics,
                                  String master, int partitions, Sync sync) {
        ReplicaFactory factory = Replicas.of(compilation, backend, maxBatch, simd);
        DataParallelModel driver = factory.create(maxBatch);
        JavaSparkContext jsc;
        try {
            jsc = SparkContexts.start(SparkContexts.conf(master, "nnc train " + compilation.name()));
        } catch (RuntimeException e) {
            throw new UserError("error: cannot start Spark on master " + master + ": " + e.getMessage(), e);
        }
        PlacedEngine model;
        try {
            model = SparkEngine.open(jsc, driver, factory, partitions, sync);
        } catch (IllegalStateException e) {
            jsc.stop();
            throw new UserError("error: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            jsc.stop();
            throw e;
        }
        return new Session() {
            @Override public CompiledModel model() { return model; }

            @Override public String describe() {
                return String.format("on Spark %s (%s), %d partitions per batch, %d executor slots%s", master, jsc.version(), partitions,
                        jsc.defaultParallelism(), sync == Sync.JOB ? "" : ", one barrier stage for the run");
            }

            @Override public String timing() { return model.timing(); }

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

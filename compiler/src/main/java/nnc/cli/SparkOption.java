package nnc.cli;

import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.DistributedTraining;
import nnc.driver.UserError;
import nnc.runtime.Numerics;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnc train --spark MASTER [--partitions P] [--sync job|barrier]}: finds the Spark engine (nnc-spark) on the class path and opens a run on it. */
final class SparkOption {
    static final int DEFAULT_PARTITIONS = 2;

    private SparkOption() {}

    static DistributedTraining.Session open(String master, Integer partitions, String sync, CommandSpec spec, Compilation compilation, Backend backend,
                                            int maxBatch, boolean simd, Numerics.Mode numerics) {
        int p = partitions == null ? DEFAULT_PARTITIONS : (int) Usage.atLeast(spec, partitions, 1, "--partitions");
        DistributedTraining.Sync s = sync(sync, spec);
        if (backend == Backend.INTERP) throw Usage.error(spec, "--spark ships generated classes to the executors: use --backend java or bytecode, not interp");
        DistributedTraining engine = DistributedTraining.find("spark").orElseThrow(() -> new UserError(
                "error: --spark needs nnc-spark and Apache Spark on the class path: run ./nnc (it builds spark/target/nnc-spark.jar"
                        + " with `mvn -pl spark -am package` and adds Spark's jars), or add nnc-spark and Spark 4.2 to your class path"));
        return engine.open(compilation, backend, maxBatch, simd, numerics, master, p, s);
    }

    /** {@code --sync}'s value ({@code job} when absent), or a usage error naming the allowed ones. */
    static DistributedTraining.Sync sync(String text, CommandSpec spec) {
        if (text == null) return DistributedTraining.Sync.JOB;
        return DistributedTraining.Sync.named(text).orElseThrow(() -> Usage.error(spec, "--sync must be job or barrier, got '" + text + "'"));
    }
}

package nnc.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.train.BatchFeeder;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.serializer.JavaSerializer;
import scala.reflect.ClassTag$;

/**
 * Not a test: what one step of {@code samples/fashion_mlp.nn} (batch 64) ships to its tasks on
 * {@code local[2]} besides the parameters' broadcast, serialised with Spark's JavaSerializer: the
 * step's function and the P partition objects of the RDD it maps over, with the rows cached on the
 * executors (now) and with the rows in the step's parallelized shares (as before the rows were
 * cached). Run from the spark module with the test class path: {@code java -cp ... nnc.spark.ShippedBytesProbe [P]}.
 */
public final class ShippedBytesProbe {
    private ShippedBytesProbe() {}

    public static void main(String[] args) {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path file = Path.of("..", "samples", "fashion_mlp.nn");
        Compilation compilation = Compilation.of(file);
        TrainConfig cfg = compilation.train();
        int batch = cfg.batch();
        Dataset data = Datasets.load(cfg.data(), file.getParent(), cfg.seed());
        ReplicaFactory factory = Replicas.of(compilation, Backend.BYTECODE, batch, true);
        DataParallelModel driver = factory.create(batch);
        JavaSparkContext jsc = SparkContexts.start(SparkContexts.conf("local[2]", "shipped bytes probe").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        try (SparkDataParallel m = new SparkDataParallel(jsc, driver, factory, partitions)) {
            m.begin(data, batch);
            int[] order = new int[data.rows()];
            m.fillOrder(order, cfg.seed(), 1, cfg.shuffle());
            m.stepRows(order, 0, batch);
            ParamSnapshot snapshot = ParamSnapshot.of(driver.model());
            Broadcast<ParamSnapshot> params = jsc.broadcast(snapshot);
            StepFunction step = m.stepFunction(params);
            long now = size(jsc, step);
            for (Partition p : m.placed().rdd().mapPartitionsWithIndex(step, true).rdd().partitions()) now += size(jsc, p);
            long before = size(jsc, step) + rowsShipped(jsc, driver.model(), data, order, batch, partitions);
            System.out.printf("P=%d batch %d: a step ships %,d bytes to its tasks with the rows cached, %,d with the rows in the step "
                    + "(%.0fx); the parameters' broadcast is %,d bytes either way%n", partitions, batch, now, before, (double) before / now,
                    size(jsc, snapshot));
            params.destroy();
        } finally {
            jsc.stop();
        }
    }

    /** The partition objects of a step whose shares carry their rows' values (the input and target rows of each share). */
    static long rowsShipped(JavaSparkContext jsc, CompiledModel model, Dataset data, int[] order, int batch, int partitions) {
        new BatchFeeder(model, data).feed(order, 0, batch);
        List<Object[]> shares = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int first = p * batch / partitions, count = (p + 1) * batch / partitions - first;
            float[] x = new float[count * 784];
            int[] y = new int[count];
            System.arraycopy(model.floats("x"), model.offset("x") + first * 784, x, 0, x.length);
            System.arraycopy(model.ints("y"), model.offset("y") + first, y, 0, count);
            shares.add(new Object[] {p, first, count, (float) count / batch, new String[] {"x", "y"}, new Object[] {x, y}});
        }
        JavaRDD<Object[]> rdd = jsc.parallelize(shares, partitions);
        long n = 0;
        for (Partition p : rdd.rdd().partitions()) n += size(jsc, p);
        return n;
    }

    static long size(JavaSparkContext jsc, Object o) {
        return new JavaSerializer(jsc.getConf()).newInstance().serialize(o, ClassTag$.MODULE$.apply(Object.class)).remaining();
    }
}

package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.train.BatchFeeder;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * The engine on {@code local[2]} with a hand-made model: determinism, P = 1 against one machine, P = 2's first step against
 * one machine, the rows cached on the executors and not shipped per step, retried tasks.
 */
class SparkDataParallelTest {
    static final int F = 6, C = 3, N = 500, BATCH = 32;
    static final float LR = 0.05f;
    static JavaSparkContext jsc;
    static Dataset data;

    @BeforeAll static void start() {
        jsc = SparkTest.context("local[2,3]");
        data = blobs(N, 7);
    }

    @AfterAll static void stop() { jsc.stop(); }

    /** Three Gaussian blobs in F dimensions, classes in a fixed pseudo-random order. */
    static Dataset blobs(int n, long seed) { return blobs(n, seed, F); }

    /** The blobs in {@code features} dimensions. */
    static Dataset blobs(int n, long seed, int features) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(C);
            for (int f = 0; f < features; f++) x[i * features + f] = (float) (r.nextGaussian() + (f % C == y[i] ? 1.5 : 0));
        }
        return Dataset.classification(x, new int[] {features}, y, C);
    }

    static TrainOptions options() { return new TrainOptions(3, BATCH, 11, true); }

    static SoftmaxRegression fresh() {
        SoftmaxRegression m = new SoftmaxRegression(F, C, BATCH, LR);
        ParamInit.initialize(m, 11);
        return m;
    }

    static float[] trainSpark(int partitions, ReplicaFactory factory) {
        SoftmaxRegression driver = fresh();
        try (SparkDataParallel m = new SparkDataParallel(jsc, driver, factory, partitions)) {
            TrainResult r = Trainer.fit(m, data, null, options(), TrainListener.NONE);
            assertTrue(r.trainAccuracy() > 0.8, "trained: " + r.trainAccuracy());
            assertEquals(3L * ((N + BATCH - 1) / BATCH), m.clock().steps());
        }
        return state(driver);
    }

    /** Parameters and optimiser state, one array. */
    static float[] state(CompiledModel m) {
        float[][] parts = {m.floats("w"), m.floats("b"), m.floats("w_v"), m.floats("b_v")};
        return Arrays.stream(parts).reduce(new float[0], SparkDataParallelTest::concat);
    }

    static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static final SoftmaxRegression.Factory FACTORY = new SoftmaxRegression.Factory(F, C, LR);

    @Test void onePartitionIsOneMachineBitForBit() {
        SoftmaxRegression alone = fresh();
        Trainer.fit(alone, data, null, options(), TrainListener.NONE);
        assertArrayEquals(state(alone), trainSpark(1, FACTORY));
    }

    @Test void twoPartitionsAreReproducible() {
        float[] a = trainSpark(2, FACTORY), b = trainSpark(2, FACTORY), one = trainSpark(1, FACTORY);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, one), "two partitions visit the rows in another order and sum in two parts");
        assertArrayEquals(trainSpark(3, FACTORY), trainSpark(3, FACTORY));
    }

    @Test void twoPartitionsFirstStepIsOneMachinesToRounding() {
        SoftmaxRegression alone = fresh(), driver = fresh();
        try (SparkDataParallel m = new SparkDataParallel(jsc, driver, FACTORY, 2)) {
            m.begin(data, BATCH);
            int[] order = new int[N];
            m.fillOrder(order, 11, 1, true);
            new BatchFeeder(driver, data).feed(order, 0, BATCH);
            m.stepRows(order, 0, BATCH);
            m.trainStep(BATCH);
            new BatchFeeder(alone, data).feed(order, 0, BATCH);
            alone.trainStep(BATCH);
        }
        float[] one = state(alone), two = state(driver);
        assertFalse(Arrays.equals(one, fresh().floats("w")), "the step moved the parameters");
        for (int i = 0; i < one.length; i++) assertEquals(one[i], two[i], 1e-6f * Math.max(1, Math.abs(one[i])), "element " + i);
    }

    @Test void theRowsStayCachedOnTheExecutorsAndAStepShipsOnlyTheirIndices() {
        int wide = 256, rows = 200;
        SoftmaxRegression.Factory factory = new SoftmaxRegression.Factory(wide, C, LR);
        SoftmaxRegression driver = new SoftmaxRegression(wide, C, BATCH, LR);
        ParamInit.initialize(driver, 11);
        try (SparkDataParallel m = new SparkDataParallel(jsc, driver, factory, 2)) {
            Trainer.fit(m, blobs(rows, 3, wide), null, new TrainOptions(1, BATCH, 11, true), TrainListener.NONE);
            JavaRDD<PartitionRows> cached = m.placed().rdd();
            RDDInfo info = Arrays.stream(jsc.sc().getRDDStorageInfo()).filter(i -> i.id() == cached.id()).findFirst().orElseThrow();
            assertEquals(2, info.numCachedPartitions(), "both partitions' rows are cached");
            assertEquals(StorageLevel.MEMORY_ONLY(), info.storageLevel());
            int[] order = new int[rows];
            m.fillOrder(order, 11, 1, true);
            m.stepRows(order, 0, BATCH);
            Broadcast<ParamSnapshot> params = jsc.broadcast(ParamSnapshot.of(driver));
            try {
                StepFunction step = m.stepFunction(params);
                long shipped = serializedSize(step);
                for (Partition p : cached.mapPartitionsWithIndex(step, true).rdd().partitions()) shipped += serializedSize(p);
                long rowBytes = (long) BATCH * (wide + 1) * 4;
                assertTrue(shipped < 4L * BATCH + 4096, "a step ships " + shipped + " bytes for " + BATCH + " rows (their values: " + rowBytes + ")");
                assertTrue(rowBytes > 4 * shipped, "the rows would be " + rowBytes + " bytes");
            } finally {
                params.destroy();
            }
        }
    }

    static long serializedSize(Object o) {
        return new JavaSerializer(jsc.getConf()).newInstance().serialize(o, ClassTag$.MODULE$.apply(Object.class)).remaining();
    }

    @Test void aFailedTaskIsRetriedAndChangesNothing() {
        float[] clean = trainSpark(2, FACTORY);
        Failing.calls.set(0);
        Failing.failed.set(0);
        float[] retried = trainSpark(2, new Failing(FACTORY, 37));
        assertEquals(1, Failing.failed.get(), "one task failed");
        assertArrayEquals(clean, retried);
    }

    /** Replicas whose gradient step throws once, at the JVM's {@code when}-th call, as a lost task would. */
    record Failing(ReplicaFactory inner, int when) implements ReplicaFactory {
        static final AtomicInteger calls = new AtomicInteger(), failed = new AtomicInteger();

        @Override public DataParallelModel create(int maxBatch) {
            DataParallelModel m = inner.create(maxBatch);
            return new DataParallelModel() {
                @Override public CompiledModel model() { return m.model(); }
                @Override public int exchangeLength() { return m.exchangeLength(); }
                @Override public void applyStep(float[] exchange, int offset) { m.applyStep(exchange, offset); }
                @Override public void firstRow(int row) { m.firstRow(row); }
                @Override public void gradientStep(int batch, float weight, float[] exchange, int offset) {
                    if (calls.incrementAndGet() == when && failed.getAndIncrement() == 0)
                        throw new IllegalStateException("injected task failure");
                    m.gradientStep(batch, weight, exchange, offset);
                }
            };
        }
    }
}

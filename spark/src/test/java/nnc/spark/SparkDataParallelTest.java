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
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine on {@code local[2]} with a hand-made model: determinism, P = 1 against one machine, retried tasks. */
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
    static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * F];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(C);
            for (int f = 0; f < F; f++) x[i * F + f] = (float) (r.nextGaussian() + (f % C == y[i] ? 1.5 : 0));
        }
        return Dataset.classification(x, new int[] {F}, y, C);
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

    @Test void twoPartitionsAreReproducibleAndCloseToOneMachine() {
        float[] a = trainSpark(2, FACTORY), b = trainSpark(2, FACTORY), one = trainSpark(1, FACTORY);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, one), "the sum in two parts rounds differently from one part");
        for (int i = 0; i < a.length; i++) assertEquals(one[i], a[i], 1e-3f, "element " + i);
        assertArrayEquals(trainSpark(3, FACTORY), trainSpark(3, FACTORY));
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

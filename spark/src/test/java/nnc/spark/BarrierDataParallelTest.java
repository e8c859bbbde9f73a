package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import nnc.spark.barrier.BarrierDataParallel;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --sync barrier} on {@code local[2]} with the hand-made model of {@link SparkDataParallelTest}:
 * the same bits as the per-step job and as one machine, a failed task's relaunched stage, too few
 * slots, and nothing left running after close.
 */
class BarrierDataParallelTest {
    static JavaSparkContext jsc;

    @BeforeAll static void start() {
        jsc = SparkTest.context("local[2,3]");
        SparkDataParallelTest.data = SparkDataParallelTest.blobs(SparkDataParallelTest.N, 7);
    }

    @AfterAll static void stop() { jsc.stop(); }

    static float[] trainBarrier(int partitions, ReplicaFactory factory) {
        SoftmaxRegression driver = SparkDataParallelTest.fresh();
        try (BarrierDataParallel m = new BarrierDataParallel(jsc, driver, factory, partitions)) {
            TrainResult r = Trainer.fit(m, SparkDataParallelTest.data, null, SparkDataParallelTest.options(), TrainListener.NONE);
            assertTrue(r.trainAccuracy() > 0.8, "trained: " + r.trainAccuracy());
            int n = SparkDataParallelTest.N, b = SparkDataParallelTest.BATCH;
            assertEquals(3L * ((n + b - 1) / b), m.clock().steps());
        }
        return SparkDataParallelTest.state(driver);
    }

    static float[] trainJob(int partitions) {
        SoftmaxRegression driver = SparkDataParallelTest.fresh();
        try (SparkDataParallel m = new SparkDataParallel(jsc, driver, SparkDataParallelTest.FACTORY, partitions)) {
            Trainer.fit(m, SparkDataParallelTest.data, null, SparkDataParallelTest.options(), TrainListener.NONE);
        }
        return SparkDataParallelTest.state(driver);
    }

    @Test void twoPartitionsGiveThePerStepJobsBits() {
        assertArrayEquals(trainJob(2), trainBarrier(2, SparkDataParallelTest.FACTORY));
    }

    @Test void onePartitionIsOneMachineBitForBit() {
        SoftmaxRegression alone = SparkDataParallelTest.fresh();
        Trainer.fit(alone, SparkDataParallelTest.data, null, SparkDataParallelTest.options(), TrainListener.NONE);
        assertArrayEquals(SparkDataParallelTest.state(alone), trainBarrier(1, SparkDataParallelTest.FACTORY));
    }

    @Test void aFailedTaskRelaunchesTheStageAndChangesNothing() {
        float[] clean = trainBarrier(2, SparkDataParallelTest.FACTORY);
        SparkDataParallelTest.Failing.calls.set(0);
        SparkDataParallelTest.Failing.failed.set(0);
        float[] relaunched = trainBarrier(2, new SparkDataParallelTest.Failing(SparkDataParallelTest.FACTORY, 37));
        assertEquals(1, SparkDataParallelTest.Failing.failed.get(), "one task failed");
        assertArrayEquals(clean, relaunched);
    }

    @Test void moreTasksThanSlotsFailsAtOnceNamingBoth() {
        var e = assertThrows(IllegalStateException.class,
                () -> new BarrierDataParallel(jsc, SparkDataParallelTest.fresh(), SparkDataParallelTest.FACTORY, 3));
        assertTrue(e.getMessage().contains("3 partitions") && e.getMessage().contains("2 task slots"), e.getMessage());
    }

    @Test void closeLeavesNoJobThreadOrSocket() {
        trainBarrier(2, SparkDataParallelTest.FACTORY);
        try (BarrierDataParallel unused = new BarrierDataParallel(jsc, SparkDataParallelTest.fresh(), SparkDataParallelTest.FACTORY, 2)) {
            // closed before its first step: its job never started
        }
        assertEquals(List.of(), barrierThreads());
        assertEquals(0, jsc.statusTracker().getActiveJobIds().length, "no Spark job left running");
        assertEquals(0, jsc.statusTracker().getActiveStageIds().length, "no Spark stage left running");
    }

    static List<String> barrierThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("nnc-barrier-")).toList();
    }
}

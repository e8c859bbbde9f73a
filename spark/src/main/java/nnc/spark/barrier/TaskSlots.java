package nnc.spark.barrier;

import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/** How many tasks a Spark context can run at once: a barrier stage of P tasks needs P. */
final class TaskSlots {
    /** Spark's own wait for executors to register (spark.scheduler.maxRegisteredResourcesWaitingTime's default). */
    private static final long REGISTRATION_MS = 30_000;

    private TaskSlots() {}

    /** The task slots of the cluster's registered executors now (local[N]: N). */
    static int count(JavaSparkContext jsc) {
        SparkContext sc = jsc.sc();
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }

    /** The slots once there are {@code needed}, or after executors had {@code timeoutMs} (at most 30 s) to register. */
    static int await(JavaSparkContext jsc, int needed, long timeoutMs) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMs, REGISTRATION_MS));
        int slots = count(jsc);
        while (slots < needed && !jsc.master().startsWith("local") && System.nanoTime() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = count(jsc);
        }
        return slots;
    }
}

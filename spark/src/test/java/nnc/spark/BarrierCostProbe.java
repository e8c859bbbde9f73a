package nnc.spark;

import nnc.spark.StepCostProbe.Empty;
import nnc.spark.StepCostProbe.EmptyFactory;
import nnc.spark.barrier.BarrierDataParallel;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Not a test: {@link StepCostProbe}'s empty steps through one barrier stage ({@code --sync barrier})
 * instead of a job per step, for docs/distributed.md's fitted per-step constant of the barrier
 * exchange. Run: {@code java -cp ... nnc.spark.BarrierCostProbe local[2] 200}.
 */
public final class BarrierCostProbe {
    private BarrierCostProbe() {}

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        JavaSparkContext jsc = SparkContexts.start(SparkContexts.conf(master, "barrier cost probe").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        try {
            for (int floats : new int[] {16, 100_000, 400_000, 1_600_000}) {
                for (int p : new int[] {1, 2}) {
                    try (BarrierDataParallel m = new BarrierDataParallel(jsc, new Empty(floats), new EmptyFactory(floats), p)) {
                        m.begin(StepCostProbe.TWO_ROWS, 2);
                        for (int s = 0; s < steps; s++) step(m); // warm-up, in the same stage
                        long before = m.clock().steps();
                        double exchange = m.clock().exchangeMs() * before, driver = m.clock().driverMs() * before;
                        for (int s = 0; s < steps; s++) step(m);
                        long n = m.clock().steps() - before;
                        System.out.printf("P=%d params=%d floats: exchange %.3f ms, driver %.3f ms per step over the last %d steps (%s)%n", p, floats,
                                (m.clock().exchangeMs() * m.clock().steps() - exchange) / n, (m.clock().driverMs() * m.clock().steps() - driver) / n,
                                n, m.clock());
                    }
                }
            }
        } finally {
            jsc.stop();
        }
    }

    private static void step(BarrierDataParallel m) {
        m.stepRows(StepCostProbe.ORDER, 0, 2);
        m.trainStep(2);
    }
}

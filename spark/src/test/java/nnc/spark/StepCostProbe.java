package nnc.spark;

import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.parallel.DataParallelModel;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Not a test: measures the cost of one distributed step that computes nothing, as a function of the
 * exchanged size (docs/distributed.md's cost model). Run: {@code java -cp ... nnc.spark.StepCostProbe local[2] 200}.
 */
public final class StepCostProbe {
    private StepCostProbe() {}

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        JavaSparkContext jsc = SparkContexts.start(SparkContexts.conf(master, "step cost probe").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        try {
            for (int round = 0; round < 2; round++) {
                for (int floats : new int[] {16, 100_000, 400_000, 1_600_000}) {
                    for (int p : new int[] {1, 2}) {
                        Empty driver = new Empty(floats);
                        try (SparkDataParallel m = new SparkDataParallel(jsc, driver, new EmptyFactory(floats), p)) {
                            m.begin(TWO_ROWS, 2);
                            for (int s = 0; s < steps; s++) {
                                m.stepRows(ORDER, 0, 2);
                                m.trainStep(2);
                            }
                            if (round == 1) System.out.printf("P=%d params=%d floats: %s%n", p, floats, m.clock());
                        }
                    }
                }
            }
        } finally {
            jsc.stop();
        }
    }

    static final Dataset TWO_ROWS = Dataset.classification(new float[2], new int[] {1}, new int[2], 2);
    static final int[] ORDER = {0, 1};

    record EmptyFactory(int floats) implements ReplicaFactory {
        @Override public DataParallelModel create(int maxBatch) { return new Empty(floats); }
    }

    /** A model of {@code floats} parameters whose gradient step writes zeros. */
    static final class Empty implements CompiledModel, DataParallelModel {
        private final float[] w, x = new float[2], loss = new float[1];
        private final ModelInfo info;

        Empty(int floats) {
            w = new float[floats];
            info = new ModelInfo("Empty", List.of(new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, 1}, null),
                    new TensorSpec("w", Role.PARAM, DType.F32, new int[] {floats}, null),
                    new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[] {}, null)), "loss", List.of());
        }

        @Override public ModelInfo info() { return info; }
        @Override public int maxBatch() { return 2; }
        @Override public float[] floats(String name) { return switch (name) { case "x" -> x; case "w" -> w; default -> loss; }; }
        @Override public int[] ints(String name) { throw new IllegalArgumentException(name); }
        @Override public void trainStep(int batch) {}
        @Override public void evaluate(int batch) {}
        @Override public void predict(int batch) {}
        @Override public CompiledModel model() { return this; }
        @Override public int exchangeLength() { return w.length + 1; }
        @Override public void firstRow(int row) {}
        @Override public void gradientStep(int batch, float weight, float[] exchange, int offset) {}
        @Override public void applyStep(float[] exchange, int offset) {}
    }
}

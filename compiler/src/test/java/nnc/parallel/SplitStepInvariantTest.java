package nnc.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.optim.TrainConfig;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.Parallelism;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-parallel split's invariant: {@code gradientStep(b, 1f, x, 0); applyStep(x, 0)} leaves
 * every parameter, every state tensor and the loss bitwise as the ordinary class's
 * {@code trainStep(b)} does, step after step (the last batch partial), on every back end, for
 * models and train settings that cover every kind of state a step updates.
 */
class SplitStepInvariantTest {
    static final int BATCH = 16;
    static final int STEPS = 4;
    private final int savedThreads = Parallelism.threads();

    @AfterEach
    void restoreThreads() { Parallelism.setThreads(savedThreads); }

    /** A sample with its own train block, or with one setting changed. */
    record Case(String sample, String what, java.util.function.UnaryOperator<TrainConfig> change) {
        Compilation compilation() {
            Compilation c = SampleModules.stages(sample);
            return c.withTrain(change.apply(c.train()));
        }

        @Override public String toString() { return sample + " " + what; }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String s : List.of("housing", "fashion_mlp", "regularised", "fashion_cnn_bn", "lenet", "padded_bilstm", "tiny_transformer",
                "bigram", "resnet_s", "sentiment"))
            cases.add(new Case(s, "as written", c -> c));
        cases.add(new Case("softmax", "momentum + weight decay", c -> c.withOptimizer("momentum", Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 1e-3))));
        cases.add(new Case("softmax", "nesterov", c -> c.withOptimizer("nesterov", Map.of("lr", 0.1, "momentum", 0.9))));
        cases.add(new Case("fashion_mlp", "adamw + weight decay", c -> c.withOptimizer("adamw", Map.of("lr", 1e-3, "weight_decay", 0.05))));
        cases.add(new Case("fashion_mlp", "rmsprop", c -> c.withOptimizer("rmsprop", Map.of("lr", 1e-3))));
        cases.add(new Case("softmax", "global-norm clipping", c -> c.withClipping(new TrainConfig.Clipping(TrainConfig.Clipping.Kind.NORM, 0.05))));
        cases.add(new Case("softmax", "value clipping", c -> c.withClipping(new TrainConfig.Clipping(TrainConfig.Clipping.Kind.VALUE, 0.01))));
        cases.add(new Case("fashion_mlp_large", "cosine schedule with warm-up", c -> c));
        cases.add(new Case("housing", "step schedule", c -> c.withSchedule(new TrainConfig.Schedule("step", Map.of("step_size", 2.0, "gamma", 0.5)))));
        return cases;
    }

    static Stream<Arguments> casesOnEveryBackend() {
        return cases().stream().flatMap(c -> Stream.of(Backend.values()).map(b -> Arguments.of(c, b)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesOnEveryBackend")
    void gradientThenApplyIsTheTrainStep(Case c, Backend backend) {
        Compilation compilation = c.compilation();
        DataParallelModel split = compilation.dataParallel(backend, BATCH, true, Numerics.Mode.ON);
        CompiledModel whole = compilation.compiled(backend, BATCH, true, Numerics.Mode.ON);
        runAndCompare(split, whole, c.toString() + " on " + backend);
    }

    @Test
    void javaAndBytecodeSplitClassesAgreeBitwiseOnOneAndTwoThreads() {
        Compilation compilation = SampleModules.stages("fashion_cnn_bn");
        List<DataParallelModel> runs = new ArrayList<>();
        for (int threads : List.of(1, 2))
            for (Backend b : List.of(Backend.JAVA, Backend.BYTECODE)) {
                Parallelism.setThreads(threads);
                DataParallelModel m = compilation.dataParallel(b, BATCH, true, Numerics.Mode.ON);
                ParamInit.initialize(m.model(), 7);
                SplittableRandom rnd = new SplittableRandom(3);
                float[] x = new float[m.exchangeLength()];
                for (int s = 0; s < STEPS; s++) {
                    SampleModules.feed(m.model(), BATCH, rnd);
                    m.gradientStep(BATCH, 1f, x, 0);
                    m.applyStep(x, 0);
                }
                runs.add(m);
            }
        for (DataParallelModel other : runs.subList(1, runs.size()))
            for (TensorSpec t : runs.get(0).model().info().tensors())
                if (t.role() != Role.INPUT && t.role() != Role.TARGET)
                    assertBitwise(runs.get(0).model(), other.model(), t, "fashion_cnn_bn");
    }

    private static void runAndCompare(DataParallelModel split, CompiledModel whole, String what) {
        ParamInit.initialize(split.model(), 7);
        ParamInit.initialize(whole, 7);
        SplittableRandom rndSplit = new SplittableRandom(3), rndWhole = new SplittableRandom(3);
        float[] exchange = new float[split.exchangeLength() + 3];
        boolean scheduled = whole.info().tensors().stream().anyMatch(t -> t.name().equals(Trainer.LR));
        for (int s = 0; s < STEPS; s++) {
            int rows = s == STEPS - 1 ? BATCH / 2 + 1 : BATCH;
            if (scheduled) {
                split.model().floats(Trainer.LR)[0] = 1e-3f * (s + 1);
                whole.floats(Trainer.LR)[0] = 1e-3f * (s + 1);
            }
            SampleModules.feed(split.model(), rows, rndSplit);
            SampleModules.feed(whole, rows, rndWhole);
            split.gradientStep(rows, 1f, exchange, 3);
            split.applyStep(exchange, 3);
            whole.trainStep(rows);
            assertEquals(Float.floatToIntBits(whole.loss()), Float.floatToIntBits(split.model().loss()), what + ": loss at step " + s);
            int compared = 0;
            for (TensorSpec t : whole.info().tensors()) {
                if (t.role() != Role.PARAM && t.role() != Role.STATE) continue;
                assertBitwise(whole, split.model(), t, what + " step " + s);
                compared++;
            }
            assertTrue(compared >= whole.info().withRole(Role.PARAM).size());
        }
    }

    private static void assertBitwise(CompiledModel expected, CompiledModel actual, TensorSpec t, String what) {
        int n = t.elementCount(BATCH);
        float[] a = expected.floats(t.name()), b = actual.floats(t.name());
        int oa = expected.offset(t.name()), ob = actual.offset(t.name());
        for (int k = 0; k < n; k++)
            if (Float.floatToIntBits(a[oa + k]) != Float.floatToIntBits(b[ob + k]))
                assertEquals(a[oa + k], b[ob + k], what + ": " + t.name() + "[" + k + "]");
    }
}

package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import nnc.driver.Backend;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The samples of the language issue (DSL.md §4 logistic and softmax regression, §7 ResNet-S) and
 * the test models train on every back end: ten steps on one fixed batch lower its training loss
 * (each back end's gradient points downhill), and the samples' own train blocks reach a stated
 * training accuracy on their seeded synthetic data.
 */
class NewSamplesTrainingTest {
    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String s : List.of("logistic", "softmax", "resnet_s", "vocabulary", "batchnorm", "regularised", "lenet", "convmix", "bigram", "majority", "seqvocab"))
            for (Backend b : Backend.values()) all.add(Arguments.of(s, b));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void tenStepsOnOneBatchLowerItsLoss(String sample, Backend backend) {
        int batch = 16;
        CompiledModel m = Samples.stages(sample).compiled(backend, batch);
        ParamInit.initialize(m, 3);
        SampleModules.feed(m, batch, new SplittableRandom(5));
        m.trainStep(batch); // the training loss (dropout active, batch statistics) before the first update
        double before = m.loss();
        for (int s = 0; s < 10; s++) m.trainStep(batch);
        double after = m.loss();
        assertTrue(Double.isFinite(before) && after < 0.99 * before, sample + " on " + backend.text() + ": loss " + before + " -> " + after);
    }

    /** DSL.md §6 on Fashion-MNIST: one epoch with batch norm, dropout and penalties, identical on both generated back ends. */
    @Test
    void regularisedReaches82PercentInOneEpoch() {
        String first = null;
        for (String backend : List.of("java", "bytecode")) {
            var r = CliTest.nnc("train", Samples.file("regularised").toString(), "--backend", backend, "--json");
            assertEquals(0, r.code(), r.err());
            String json = TrainingTest.lastLine(r.out());
            assertTrue(TrainingTest.field(json, "val_accuracy") >= 0.82, json);
            String loss = json.replaceAll(".*\"val_loss\":([-0-9.eE]+).*", "$1");
            if (first == null) first = loss;
            else assertEquals(first, loss, "java and bytecode train bitwise alike");
        }
    }

    /** Train accuracy after the sample's own train block (seeded), on the generated back ends. */
    @ParameterizedTest
    @ValueSource(strings = {"logistic:0.88", "softmax:0.70", "resnet_s:0.85"})
    void samplesTrainToTheirStatedAccuracy(String spec) {
        String sample = spec.split(":")[0];
        double floor = Double.parseDouble(spec.split(":")[1]);
        for (String backend : List.of("java", "bytecode")) {
            var r = CliTest.nnc("train", Samples.file(sample).toString(), "--backend", backend, "--json");
            assertEquals(0, r.code(), r.err());
            String json = TrainingTest.lastLine(r.out());
            assertTrue(TrainingTest.field(json, "train_accuracy") >= floor, sample + " on " + backend + ": " + json);
        }
    }
}

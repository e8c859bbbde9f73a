package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nnc.driver.Backend;
import nnc.driver.GradientRunner;
import nnc.runtime.Numerics;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every loss and its options against PyTorch on every back end: the model
 * {@code compiler/src/test/resources/models/losses.nn} with the batch of
 * {@code benchmarks/pytorch/make_loss_fixtures.py}: reduction mean, sum and none, cross_entropy's
 * label_smoothing and ignore_index (with index and probability targets, and over [batch, time, C]),
 * nll's ignore_index and sequences, bce_with_logits's pos_weight, smooth_l1's beta, huber's delta,
 * kl_div's batchmean, mean and log_target. The gradient of each weight w_k is the value of its term.
 */
class LossFixtureTest {
    /** Relative agreement: a few f32 rounding steps of sums over a batch of 4 (PyTorch sums in its own order). */
    static final double TOLERANCE = 2e-6;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void everyLossAndGradientEqualsPyTorchs(Backend backend) {
        TensorFile expected = Fixtures.read("losses", "grads");
        GradientRunner.Result r = new GradientRunner(Fixtures.load("losses"), backend, Numerics.Mode.OFF)
                .run(Fixtures.read("losses", "params"), Fixtures.read("losses", "inputs"), 0);
        assertTrue(r.initialized().isEmpty(), "the fixture gives every parameter: " + r.initialized());
        List<String> failures = new ArrayList<>();
        for (Tensor got : r.tensors()) {
            Tensor ref = expected.tensors().get(got.name());
            assertArrayEquals(ref.shape(), got.shape(), got.name() + ": shape");
            float[] g = got.f32(), e = ref.f32();
            for (int i = 0; i < e.length; i++)
                if (!(Math.abs((double) g[i] - e[i]) <= TOLERANCE * Math.max(1, Math.abs(e[i]))))
                    failures.add(got.name() + "[" + i + "] = " + g[i] + ", PyTorch " + e[i]);
        }
        assertEquals(List.of(), failures, "losses on " + backend.text());
    }
}

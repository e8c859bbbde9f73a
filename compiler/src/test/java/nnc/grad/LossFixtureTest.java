package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nnc.driver.Backend;
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
        List<String> failures = Fixtures.disagreements("losses", backend, (g, e) -> Math.abs((double) g - e) <= TOLERANCE * Math.max(1, Math.abs(e)));
        assertEquals(List.of(), failures, "losses on " + backend.text());
    }
}

package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nnc.driver.Backend;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reductions over axes and tuples of axes with {@code keepdim} ({@code sum mean max min argmax
 * argmin logsumexp var std}) and softmax over an axis and with a padding mask, against PyTorch on
 * every back end: {@code compiler/src/test/resources/models/reductions.nn} with the parameters of
 * {@code benchmarks/pytorch/make_reduction_fixtures.py}. Each term's weight's gradient is the term's
 * value, so the forward pass is compared element by element too.
 */
class ReductionGradientTest {
    /** Relative agreement: a few f32 rounding steps over sums of a few dozen terms. */
    static final double TOLERANCE = 2e-6;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void everyValueAndGradientEqualsPyTorchs(Backend backend) {
        List<String> failures = Fixtures.disagreements("reductions", backend, ReductionGradientTest::agrees);
        assertEquals(List.of(), failures, "reductions on " + backend.text());
    }

    /** The fixture holds the ties the rules are about, and PyTorch's tie rules as nnc documents them. */
    @Test
    void theFixtureHoldsTiesAndPyTorchsTieRules() {
        TensorFile grads = Fixtures.read("reductions", "grads");
        float[] p = Fixtures.read("reductions", "params").tensors().get("p").f32();
        assertArrayEquals(new float[] {1, 2, 2, -1}, new float[] {p[0], p[1], p[2], p[3]}, "row [0, 0] ties at its maximum");
        assertEquals(1f, grads.tensors().get("w_argmax").f32()[0], "argmax of a tie: the first index");
        assertEquals(0f, grads.tensors().get("w_argmax").f32()[5], "argmax of a row of equal values: 0");
        assertEquals(2f, grads.tensors().get("w_max").f32()[0], "max over axis 2 of row [0, 0]");
        float[] masked = grads.tensors().get("w_smm").f32();
        assertEquals(0f, masked[1], "a masked position has probability 0");
    }

    /** Zero exactly; finite values to {@link #TOLERANCE} of their size (at least 1e-6 absolute); NaN never. */
    static boolean agrees(float got, float ref) {
        if (Float.isNaN(got) || Float.isNaN(ref)) return false;
        if (ref == 0) return got == 0;
        return Math.abs((double) got - ref) <= TOLERANCE * Math.max(1, Math.abs(ref));
    }
}

package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.driver.Backend;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Derivatives at edge points against PyTorch's, element by element, on every back end: the model
 * {@code compiler/src/test/resources/models/edges.nn} with the parameters of
 * {@code benchmarks/pytorch/make_edge_fixtures.py} (zero bases under a learned exponent, dead relu
 * units under sqrt, max/min ties, abs at ±0, a where whose unselected side gets an infinite
 * gradient, max-pooling windows with ties, constant bounds of max/min). Where PyTorch gives 0 nnc must give exactly 0, an
 * infinity the same infinity, never NaN; other values agree to a few f32 rounding steps.
 */
class EdgeGradientTest {
    /** Relative agreement of finite nonzero values: a few ulps of f32 (log and sqrt may round differently). */
    static final double TOLERANCE = 1e-6;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void everyGradientEqualsPyTorchsAtTheEdges(Backend backend) {
        List<String> failures = Fixtures.disagreements("edges", backend, EdgeGradientTest::agrees);
        assertEquals(List.of(), failures, "edges on " + backend.text());
    }

    /** The fixture holds the edge values the rules are about: zeros, infinities and split ties, no NaN. */
    @Test
    void theFixtureHoldsTheEdgeValues() {
        TensorFile grads = Fixtures.read("edges", "grads");
        assertArrayEquals(new float[] {0, 0, 0.98025810f, 0}, grads.tensors().get("e").f32(), "∂e is 0 at b = 0, e ≥ 0");
        assertArrayEquals(new float[] {0, 0, 0.25f, 0}, grads.tensors().get("z").f32(), "sqrt(relu(z)) at dead units: 0");
        assertArrayEquals(new float[] {2, 1, 2, 3}, grads.tensors().get("p").f32(), "ties split: (1 + 3)/2");
        assertArrayEquals(new float[] {2, 3, 2, 1}, grads.tensors().get("q").f32(), "ties split: (1 + 3)/2");
        assertArrayEquals(new float[] {4, 3, 1.5f, 4}, grads.tensors().get("c").f32(), "a constant bound: ties whole, as clamp");
        assertArrayEquals(new float[] {0, Float.POSITIVE_INFINITY, 0.5f, 0}, grads.tensors().get("r").f32(), "where's picked side only");
        assertArrayEquals(new float[] {0.25f, 0, 0, 0.5f}, grads.tensors().get("v").f32(), "where's unselected side gets 0, not ∞·0");
        float[] k = grads.tensors().get("k").f32();
        assertEquals(Float.POSITIVE_INFINITY, k[8], "an all-zero window: its first element takes sqrt's infinite gradient");
        assertEquals(0f, k[9] + k[12] + k[13], "the rest of that window gets 0");
        for (Tensor t : grads.tensors().values())
            for (float v : t.f32()) assertTrue(!Float.isNaN(v), t.name() + " has no NaN");
    }

    @Test
    void criterionTellsZeroFromNanAndInfinityFromFinite() {
        assertTrue(agrees(0f, -0f) && agrees(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY) && agrees(1f, Math.nextUp(1f)));
        assertTrue(!agrees(Float.NaN, 0f) && !agrees(1e-30f, 0f) && !agrees(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY)
                && !agrees(1e30f, Float.POSITIVE_INFINITY) && !agrees(1f, 1.00001f));
    }

    /** Zero (of either sign) and infinities exactly; finite values to {@link #TOLERANCE}; NaN never. */
    static boolean agrees(float got, float ref) {
        if (Float.isNaN(got) || Float.isNaN(ref)) return false;
        if (ref == 0 || Float.isInfinite(ref) || Float.isInfinite(got)) return got == ref;
        return Math.abs((double) got - ref) <= TOLERANCE * Math.abs(ref);
    }
}

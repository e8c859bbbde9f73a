package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.GradientRunner;
import nnc.runtime.Numerics;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The elementwise functions and activations (clamp, hardtanh, erf, sin, cos, log1p, expm1, rsqrt,
 * sign, swish, elu, selu, mish, gelu with the tanh approximation, softplus with beta and threshold)
 * against PyTorch on every back end: the model {@code compiler/src/test/resources/models/functions.nn}
 * with the points of {@code benchmarks/pytorch/make_function_fixtures.py}. The gradient of each
 * weight w_f is the function's forward value, the gradient of each point a_f its derivative; both
 * agree element by element as {@link EdgeGradientTest#agrees} says (zeros and infinities exact).
 */
class FunctionGradientTest {
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void everyValueAndGradientEqualsPyTorchs(Backend backend) {
        List<String> failures = Fixtures.disagreements("functions", backend, EdgeGradientTest::agrees);
        assertEquals(List.of(), failures, "functions on " + backend.text());
    }

    /** The fixture holds the edges it is about: clamp passes g at its bounds, hardtanh does not, sign has none. */
    @Test
    void theFixtureHoldsTheEdgeValues() {
        TensorFile grads = Fixtures.read("functions", "grads");
        assertArrayEquals(new float[] {0.5f, -1.25f, 2f, 0, 0, 1.5f}, grads.tensors().get("a_clamp").f32(), "clamp at -0.5 and 1.5: g");
        assertArrayEquals(new float[] {0, 0, 2f, 0, 0, 1.5f}, grads.tensors().get("a_hardtanh").f32(), "hardtanh at -0.5 and 2: 0");
        assertArrayEquals(new float[6], grads.tensors().get("a_sign").f32(), "sign: no gradient");
        assertEquals(2.5033576f, grads.tensors().get("w_softplus_beta").f32()[0], 1e-6f, "beta·x = threshold: still the smooth side");
        assertEquals(2.6f, grads.tensors().get("w_softplus_beta").f32()[1], "beta·x above the threshold: x");
    }

    /** Where PyTorch 1.13 loses digits nnc keeps: elu near 0 (it computes eˣ − 1) and expm1's derivative (g·(y + 1)). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void eluAndExpm1KeepTheirDigitsNearZeroAndFarBelow(Backend backend) {
        Compilation c = Compilation.of(new SourceFile("t.nn", """
                model M {
                  input  x: f32[batch, 3]
                  param  a: f32[3] = ones
                  param  e: f32[3] = ones
                  loss   sum(elu(a + x, alpha = 0.7)) + sum(expm1(e))
                }
                """));
        float[] a = {-1e-3f, -1e-6f, -5f}, e = {-20f, -1e-3f, -40f};
        TensorFile params = TensorFile.of("params", List.of(Tensor.f32("a", new long[] {3}, a), Tensor.f32("e", new long[] {3}, e)));
        TensorFile inputs = TensorFile.of("inputs", List.of(Tensor.f32("x", new long[] {1, 3}, new float[3])));
        GradientRunner.Result r = new GradientRunner(c, backend, Numerics.Mode.OFF).run(params, inputs, 0);
        float[] da = r.gradients().get("a").f32(), de = r.gradients().get("e").f32();
        double loss = 0;
        for (int i = 0; i < 3; i++) {
            loss += 0.7 * Math.expm1(a[i]) + Math.expm1(e[i]);
            assertEquals(0.7 * Math.exp(a[i]), da[i], 2e-7 * 0.7 * Math.exp(a[i]), "elu'(" + a[i] + ")");
            assertEquals(Math.exp(e[i]), de[i], 2e-7 * Math.exp(e[i]), "expm1'(" + e[i] + ")");
        }
        assertEquals(loss, r.loss().f32()[0], 1e-6 * Math.abs(loss));
    }
}

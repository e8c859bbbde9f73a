package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import nnc.driver.Backend;
import nnc.driver.GradientRunner;
import nnc.driver.UserError;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;

/** The checks {@link GradientRunner} makes on its tensors before it runs the model. */
class GradientRunnerTest {
    static final TensorFile NO_PARAMS = TensorFile.of("P", List.of());

    static String problem(String sample, TensorFile params, TensorFile inputs) {
        GradientRunner runner = new GradientRunner(Fixtures.load(sample), Backend.INTERP);
        return assertThrows(UserError.class, () -> runner.run(params, inputs, 1)).getMessage();
    }

    static Tensor f32(String name, long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        return Tensor.f32(name, shape, new float[n]);
    }

    @Test
    void anEmptyBatchIsRefused() {
        assertEquals("I: error: tensor x has 0 rows; a batch needs at least one",
                problem("playground", NO_PARAMS, TensorFile.of("I", List.of(f32("x", 0, 2), f32("y", 0, 1)))));
    }

    @Test
    void wrongRankIsAShapeError() {
        assertEquals("I: error: tensor x has shape [8], the model's x is f32[batch,2]",
                problem("playground", NO_PARAMS, TensorFile.of("I", List.of(f32("x", 8), f32("y", 8, 1)))));
    }

    @Test
    void floatClassIndicesAreADtypeError() {
        assertEquals("I: error: tensor y is f32, the model's y is i32[batch]",
                problem("fashion_mlp", NO_PARAMS, TensorFile.of("I", List.of(f32("x", 2, 784), f32("y", 2)))));
    }

    @Test
    void missingTargetAndUnknownInput() {
        assertEquals("I: error: unknown tensor size; model Worked's inputs and targets are x (f32[batch,1]), y (f32[batch,1])\n"
                        + "I: error: missing target y (f32[batch,1])",
                problem("worked", NO_PARAMS, TensorFile.of("I", List.of(f32("x", 1, 1), f32("size", 1, 1)))));
    }

    @Test
    void paramsInTheInputsFileAreNamedAsSuch() {
        assertEquals("I: error: tensor w1 is a parameter of model Worked, not an input or target",
                problem("worked", NO_PARAMS, TensorFile.of("I", List.of(f32("x", 1, 1), f32("y", 1, 1), f32("w1", 1, 1)))));
    }

    @Test
    void theBatchSizeIsTheInputsLeadingDimension() {
        GradientRunner runner = new GradientRunner(Fixtures.load("worked"), Backend.JAVA);
        GradientRunner.Result r = runner.run(NO_PARAMS, TensorFile.of("I", List.of(
                Tensor.f32("x", new long[] {3, 1}, new float[] {3, 3, 3}),
                Tensor.f32("y", new long[] {3, 1}, new float[] {-12, -12, -12}))), 0);
        assertEquals(3, r.batch());
        assertEquals(List.of("w1", "b1", "w2", "b2"), r.initialized());
        assertEquals(12f, r.loss().f32()[0], "three rows of the worked example, loss summed");
        assertEquals(36f, r.gradients().get("w1").f32()[0]);
    }
}

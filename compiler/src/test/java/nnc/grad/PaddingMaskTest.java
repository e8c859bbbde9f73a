package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import nnc.driver.Backend;
import nnc.driver.GradientRunner;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recurrent layers with {@code mask = m} (models/bidirmask.nn: rnn and lstm bidirectional, gru, a
 * stack of two): what a padded step holds cannot change the loss or any gradient, not even a NaN or
 * an infinity, on every back end; a real step's value does change them.
 */
class PaddingMaskTest {
    private static final String MODEL = "bidirmask";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPaddedStepCannotChangeTheResult(Backend backend) {
        TensorFile params = Fixtures.read(MODEL, "params"), inputs = Fixtures.read(MODEL, "inputs");
        float[] mask = inputs.tensors().get("m").f32();
        int features = Math.toIntExact(inputs.tensors().get("x").dim(2));
        GradientRunner runner = new GradientRunner(Fixtures.load(MODEL), backend);
        GradientRunner.Result base = runner.run(params, inputs, 0);
        for (float padding : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -3e38f, 0f}) {
            GradientRunner.Result r = runner.run(params, withX(inputs, i -> mask[i / features] == 0, padding), 0);
            for (int t = 0; t < base.tensors().size(); t++)
                assertArrayEquals(base.tensors().get(t).f32(), r.tensors().get(t).f32(), base.tensors().get(t).name() + " with padding " + padding);
        }
        int real = 0;
        while (mask[real / features] == 0) real++;
        int first = real;
        GradientRunner.Result changed = runner.run(params, withX(inputs, i -> i == first, 0.5f), 0);
        assertNotEquals(base.loss().f32()[0], changed.loss().f32()[0], "a real step counts");
        assertEquals(base.tensors().size(), changed.tensors().size());
    }

    /** The inputs with {@code x}'s elements at the indices {@code where} accepts set to {@code value}. */
    private static TensorFile withX(TensorFile inputs, IntPredicate where, float value) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : inputs.tensors().values()) {
            if (!t.name().equals("x")) {
                out.add(t);
                continue;
            }
            float[] x = t.f32().clone();
            for (int i = 0; i < x.length; i++) if (where.test(i)) x[i] = value;
            out.add(Tensor.f32("x", t.shape(), x));
        }
        return TensorFile.of(inputs.origin(), out);
    }
}

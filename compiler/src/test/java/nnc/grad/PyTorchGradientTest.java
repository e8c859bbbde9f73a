package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import nnc.driver.Backend;
import nnc.driver.GradientRunner;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample's loss and gradients, on every back end, against PyTorch's for the same parameters
 * and batch (fixtures made by {@code benchmarks/pytorch/make_grad_fixtures.py}, in float32).
 *
 * <p>Criterion, per tensor (the loss counts as a tensor of one element): with {@code ref} PyTorch's
 * values and {@code got} nnc's, {@code max_i |got_i - ref_i| <= 1e-4 * max_i |ref_i|}. Dividing by the
 * largest magnitude of the tensor rather than element by element keeps tiny entries that are
 * rounding noise in both frameworks from deciding the test. A gradient that is zero in exact
 * arithmetic is rounding noise through and through (tiny_transformer's key bias {@code h.attention1.k.b}:
 * it adds the same amount to every score of a softmax row, which cancels; PyTorch's entries are below
 * 2e-9): a tensor whose reference is below {@link #ZERO_GRADIENT} of the largest gradient of the
 * fixture is measured against that largest gradient instead of its own.
 */
class PyTorchGradientTest {
    static final double TOLERANCE = 1e-4;
    /** A reference gradient this much smaller than the fixture's largest is zero up to rounding. */
    static final double ZERO_GRADIENT = 1e-6;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String sample : Fixtures.SAMPLES)
            for (Backend b : Backend.values()) all.add(Arguments.of(sample, b));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void gradientsMatchPyTorch(String sample, Backend backend) {
        TensorFile expected = Fixtures.read(sample, "grads");
        GradientRunner.Result r = new GradientRunner(Fixtures.load(sample), backend)
                .run(Fixtures.read(sample, "params"), Fixtures.read(sample, "inputs"), 0);
        assertTrue(r.initialized().isEmpty(), "the fixture gives every parameter: " + r.initialized());
        assertEquals(expected.tensors().keySet(), names(r), sample + ": nnc's gradients are named as PyTorch's");

        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "%s on %s:", sample, backend.text()));
        List<String> failures = new ArrayList<>();
        double largest = 0;
        for (Tensor ref : expected.tensors().values()) if (!ref.name().equals("loss")) largest = Math.max(largest, maxAbs(ref.f32()));
        for (Tensor got : r.tensors()) {
            Tensor ref = expected.tensors().get(got.name());
            assertArrayEquals(ref.shape(), got.shape(), got.name() + ": shape");
            double err = maxAbs(ref.f32()) < ZERO_GRADIENT * largest && !ref.name().equals("loss")
                    ? maxAbsDiff(got.f32(), ref.f32()) / largest : relativeError(got.f32(), ref.f32());
            report.append(String.format(Locale.ROOT, " %s %.2e", got.name(), err));
            if (!(err <= TOLERANCE)) failures.add(got.name() + " relative error " + err);
        }
        System.out.println(report);
        assertTrue(failures.isEmpty(), sample + " on " + backend.text() + " differs from PyTorch: " + failures);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void criterionRejectsAnErrorOfTwiceTheTolerance(String sample) {
        for (Tensor ref : Fixtures.read(sample, "grads").tensors().values()) {
            float[] off = ref.f32().clone();
            int worst = 0;
            for (int i = 0; i < off.length; i++) if (Math.abs(off[i]) > Math.abs(off[worst])) worst = i;
            off[worst] *= (float) (1 + 2 * TOLERANCE);
            assertTrue(relativeError(off, ref.f32()) > TOLERANCE, ref.name());
            assertEquals(0.0, relativeError(ref.f32(), ref.f32()), ref.name());
        }
    }

    static Stream<String> samples() { return Stream.of(Fixtures.SAMPLES); }

    static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) m = Math.max(m, Math.abs(v));
        return m;
    }

    static double maxAbsDiff(float[] got, float[] ref) {
        double d = 0;
        for (int i = 0; i < ref.length; i++) d = Math.max(d, Math.abs((double) got[i] - ref[i]));
        return Double.isNaN(d) ? Double.NaN : d;
    }

    /** max |got − ref| / max |ref| (the criterion above); NaN anywhere gives NaN, which fails. */
    static double relativeError(float[] got, float[] ref) {
        double diff = 0, scale = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs((double) got[i] - ref[i]);
            if (Double.isNaN(d)) return Double.NaN;
            diff = Math.max(diff, d);
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static Set<String> names(GradientRunner.Result r) {
        Set<String> names = new HashSet<>();
        for (Tensor t : r.tensors()) names.add(t.name());
        return names;
    }
}

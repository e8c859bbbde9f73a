package nnc.runtime.train;

import static nnc.runtime.testing.StubModel.info;
import static nnc.runtime.testing.StubModel.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import nnc.runtime.DType;
import nnc.runtime.TensorSpec;
import nnc.runtime.testing.StubModel;
import org.junit.jupiter.api.Test;

class AccuracyTest {
    private static final int B = TensorSpec.BATCH;

    private static void set(StubModel m, String name, float... v) {
        for (int i = 0; i < v.length; i++) m.floats(name)[m.offset(name) + i] = v[i];
    }

    @Test
    void argmaxAgainstClassIndicesFirstMaxWins() {
        StubModel m = new StubModel(info(1, target(DType.I32, B), 3, "accuracy:out:y"), 4, s -> 0f);
        set(m, "out", 0.1f, 0.7f, 0.2f, /**/ 5, 5, 1, /**/ 0, 0, 9, /**/ 1, 2, 3);
        int[] y = m.ints("y");
        int o = m.offset("y");
        y[o] = 1; y[o + 1] = 1; y[o + 2] = 2; y[o + 3] = 0;
        Accuracy a = Metrics.of(m.info()).accuracy();
        assertEquals(2, a.correct(m, 3), "row 1 ties 5/5: the first max (class 0) is predicted");
        assertEquals(2, a.correct(m, 4));
    }

    @Test
    void thresholdOnOneColumnAgainstFloatLabels() {
        StubModel m = new StubModel(info(1, target(DType.F32, B, 1), 1, "accuracy:out:y:0"), 4, s -> 0f);
        set(m, "out", -1, 0.5f, 0, 3);
        set(m, "y", 0, 1, 1, 0.9f);
        assertEquals(3, Metrics.of(m.info()).accuracy().correct(m, 4), "0 is not above the threshold 0");
        StubModel half = new StubModel(info(1, target(DType.F32, B, 1), 1, "accuracy:out:y"), 4, s -> 0f);
        set(half, "out", 0.4f, 0.6f);
        set(half, "y", 0, 1);
        assertEquals(2, Metrics.of(half.info()).accuracy().correct(half, 2));
    }

    @Test
    void oneHotTargets() {
        StubModel m = new StubModel(info(1, target(DType.F32, B, 3), 3, "accuracy:out:y"), 2, s -> 0f);
        set(m, "out", 1, 2, 3, /**/ 3, 2, 1);
        set(m, "y", 0, 0, 1, /**/ 0, 1, 0);
        assertEquals(1, Metrics.of(m.info()).accuracy().correct(m, 2));
    }

    @Test
    void specsThatDoNotFitTheModel() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(info(1, target(DType.I32, B), 3, "accuracy:out:nope")));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(info(1, target(DType.F32, B, 2), 3, "accuracy:out:y")));
        Metrics none = Metrics.of(info(1, target(DType.I32, B), 3, "mae:out:y"));
        assertNull(none.accuracy());
        assertEquals(List.of("mae:out:y"), none.unsupported());
    }
}

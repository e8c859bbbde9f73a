package nnc.runtime.train;

import static nnc.runtime.testing.StubModel.info;
import static nnc.runtime.testing.StubModel.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import nnc.runtime.DType;
import nnc.runtime.TensorSpec;
import nnc.runtime.testing.StubModel;
import org.junit.jupiter.api.Test;

class TopKTest {
    private static final int B = TensorSpec.BATCH;

    private static void set(StubModel m, String name, float... v) {
        for (int i = 0; i < v.length; i++) m.floats(name)[m.offset(name) + i] = v[i];
    }

    @Test
    void trueClassAmongTheKHighestScores() {
        StubModel m = new StubModel(info(1, target(DType.I32, B), 4, "topk:out:y:2"), 4, s -> 0f);
        set(m, "out", /* truth 3rd best */ 4, 3, 2, 1, /* 2nd best */ 1, 9, 5, 0, /* best */ 0, 0, 0, 7, /* tie for 2nd: counts */ 9, 5, 5, 0);
        int[] y = m.ints("y");
        int o = m.offset("y");
        y[o] = 2; y[o + 1] = 2; y[o + 2] = 3; y[o + 3] = 2;
        TopK k2 = Metrics.of(m.info()).topK();
        assertEquals(2, k2.k());
        assertEquals(3, k2.correct(m, 4));
        assertEquals(0, k2.correct(m, 1), "the first row's class has only the third highest score");
    }

    @Test
    void oneHotTargetsAndTopOneIsArgmaxAccuracy() {
        StubModel m = new StubModel(info(1, target(DType.F32, B, 3), 3, "topk:out:y:1", "accuracy:out:y"), 3, s -> 0f);
        set(m, "out", 0.1f, 0.7f, 0.2f, /**/ 3, 1, 2, /**/ 0, 1, 9);
        set(m, "y", 0, 1, 0, /**/ 0, 0, 1, /**/ 0, 0, 1);
        Metrics metrics = Metrics.of(m.info());
        assertEquals(metrics.accuracy().correct(m, 3), metrics.topK().correct(m, 3));
        assertEquals(2, metrics.topK().correct(m, 3));
    }

    @Test
    void kOutsideTheClassesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(info(1, target(DType.I32, B), 4, "topk:out:y:5")));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(info(1, target(DType.I32, B), 4, "topk:out:y:0")));
    }
}

package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import org.junit.jupiter.api.Test;

/** Precision, recall, F1, MAE, RMSE and R² against values worked out by hand. */
class EvaluationMetricsTest {
    @Test
    void precisionRecallAndF1PerClassAndMacro() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[][] {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}});
        assertArrayEquals(new double[] {5 / 7.0, 3 / 4.0, 4 / 5.0}, m.precision(), 1e-15);
        assertArrayEquals(new double[] {5 / 6.0, 1 / 2.0, 1}, m.recall(), 1e-15);
        assertArrayEquals(new double[] {10 / 13.0, 0.6, 8 / 9.0}, m.f1(), 1e-15); // F1 = 2 tp / (true + predicted)
        assertEquals((5 / 7.0 + 3 / 4.0 + 4 / 5.0) / 3, m.macroPrecision(), 1e-15);
        assertEquals((5 / 6.0 + 1 / 2.0 + 1) / 3, m.macroRecall(), 1e-15);
        assertEquals((10 / 13.0 + 0.6 + 8 / 9.0) / 3, m.macroF1(), 1e-15);
    }

    @Test
    void aClassNeitherTrueNorPredictedIsLeftOutOfTheAverages() {
        // class 1 never occurs; class 2 is true once and never predicted: precision 0 (scikit-learn's zero_division=0)
        ClassificationMetrics m = ClassificationMetrics.of(new long[][] {{2, 0, 0}, {0, 0, 0}, {1, 0, 0}});
        assertArrayEquals(new double[] {2 / 3.0, 0, 0}, m.precision(), 1e-15);
        assertArrayEquals(new double[] {1, 0, 0}, m.recall(), 1e-15);
        assertEquals((2 / 3.0 + 0) / 2, m.macroPrecision(), 1e-15);
        assertEquals(0.5, m.macroRecall(), 1e-15);
        assertEquals(0.4, m.macroF1(), 1e-15); // F1 of class 0: 2·2 / (2 + 3) = 0.8
    }

    @Test
    void maeRmseAndR2() {
        RegressionMetrics.Sums s = new RegressionMetrics.Sums();
        s.add(new float[] {9, 1, 2}, 1, new float[] {1, 3}, 0, 2); // two batches: errors 0 and 1, then 2
        s.add(new float[] {3}, 0, new float[] {0, 5}, 1, 1);
        RegressionMetrics m = s.metrics("pred", "y");
        assertEquals(3, m.values());
        assertEquals(1, m.mae(), 1e-15);
        assertEquals(Math.sqrt(5 / 3.0), m.rmse(), 1e-15);
        assertEquals(1 - 5 / 8.0, m.r2(), 1e-15); // mean 3: total sum of squares 4 + 0 + 4
        RegressionMetrics.Sums constant = new RegressionMetrics.Sums();
        constant.add(new float[] {1, 2}, 0, new float[] {2, 2}, 0, 2);
        assertTrue(Double.isNaN(constant.metrics("p", "y").r2()));
    }

    @Test
    void theRegressionPairIsTheOnlyFloatTargetAndAnOutputOfItsShape() {
        TensorSpec y = new TensorSpec("price", Role.TARGET, DType.F32, new int[] {-1, 1}, null);
        TensorSpec loss = new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[] {}, null);
        TensorSpec hidden = new TensorSpec("h", Role.OUTPUT, DType.F32, new int[] {-1, 4}, null);
        TensorSpec pred = new TensorSpec("pred", Role.OUTPUT, DType.F32, new int[] {-1, 1}, null);
        assertArrayEquals(new String[] {"pred", "price"}, Evaluation.regressionPair(new ModelInfo("M", List.of(y, loss, hidden, pred), "loss", List.of())));
        assertNull(Evaluation.regressionPair(new ModelInfo("M", List.of(y, loss, hidden), "loss", List.of())));
        TensorSpec labels = new TensorSpec("y", Role.TARGET, DType.I32, new int[] {-1}, null);
        assertNull(Evaluation.regressionPair(new ModelInfo("M", List.of(labels, loss, pred), "loss", List.of(), Map.of())));
    }
}
